CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "ApiKeys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ApiKeys" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Prefix" TEXT NOT NULL,
    "KeyHash" TEXT NOT NULL,
    "Scopes" INTEGER NOT NULL,
    "RequestsPerMinute" INTEGER NULL,
    "MaxConcurrentRequests" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "ExpiresAt" INTEGER NULL,
    "RevokedAt" INTEGER NULL,
    "LastUsedAt" INTEGER NULL,
    "RotatedToId" TEXT NULL
);

CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NOT NULL,
    "IsSupport" INTEGER NOT NULL,
    "IsOperator" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);

CREATE TABLE "AuditCheckpoints" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_AuditCheckpoints" PRIMARY KEY,
    "Hash" TEXT NOT NULL,
    "SignedAt" INTEGER NOT NULL,
    "Signature" TEXT NOT NULL,
    "KeyId" TEXT NOT NULL
);

CREATE TABLE "AuditRecords" (
    "Sequence" INTEGER NOT NULL CONSTRAINT "PK_AuditRecords" PRIMARY KEY,
    "OccurredAt" INTEGER NOT NULL,
    "TenantId" TEXT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "ActorRoles" TEXT NOT NULL,
    "ActorIp" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "ResourceId" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Details" TEXT NULL,
    "CorrelationId" TEXT NOT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);

CREATE TRIGGER "AuditRecords_NoUpdate" BEFORE UPDATE ON "AuditRecords" BEGIN SELECT RAISE(ABORT, 'AuditRecords is append-only: UPDATE refused'); END;

CREATE TRIGGER "AuditRecords_NoDelete" BEFORE DELETE ON "AuditRecords" BEGIN SELECT RAISE(ABORT, 'AuditRecords is append-only: DELETE refused'); END;

CREATE TRIGGER "AuditCheckpoints_NoUpdate" BEFORE UPDATE ON "AuditCheckpoints" BEGIN SELECT RAISE(ABORT, 'AuditCheckpoints is append-only: UPDATE refused'); END;

CREATE TRIGGER "AuditCheckpoints_NoDelete" BEFORE DELETE ON "AuditCheckpoints" BEGIN SELECT RAISE(ABORT, 'AuditCheckpoints is append-only: DELETE refused'); END;

CREATE TABLE "AuditVerificationRuns" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditVerificationRuns" PRIMARY KEY AUTOINCREMENT,
    "StartedAt" INTEGER NOT NULL,
    "FinishedAt" INTEGER NOT NULL,
    "Full" INTEGER NOT NULL,
    "IsValid" INTEGER NOT NULL,
    "RecordsVerified" INTEGER NOT NULL,
    "VerifiedUpTo" INTEGER NOT NULL,
    "AnchoredUpTo" INTEGER NOT NULL,
    "FirstBadSequence" INTEGER NULL,
    "Problem" TEXT NULL,
    "Message" TEXT NOT NULL
);

CREATE TABLE "DataProtectionKeys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DataProtectionKeys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NULL
);

CREATE TABLE "DeploymentEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_DeploymentEvents" PRIMARY KEY AUTOINCREMENT,
    "DeploymentId" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "ReplicaId" TEXT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Message" TEXT NOT NULL
);

CREATE TABLE "Deployments" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Deployments" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "SpecJson" TEXT NOT NULL,
    "ModelDisplayName" TEXT NOT NULL,
    "ServedModelName" TEXT NOT NULL,
    "Engine" TEXT NOT NULL,
    "GpuType" TEXT NOT NULL,
    "GpusPerReplica" INTEGER NOT NULL,
    "BaselineReplicas" INTEGER NOT NULL,
    "MaxReplicas" INTEGER NOT NULL,
    "DesiredReplicas" INTEGER NOT NULL,
    "Region" TEXT NOT NULL,
    "PricePerGpuHour" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "ConcurrencyStamp" TEXT NOT NULL
);

CREATE TABLE "HourRollups" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_HourRollups" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "HourStart" INTEGER NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Region" TEXT NOT NULL,
    "Tier" TEXT NOT NULL,
    "Traffic" TEXT NOT NULL,
    "Requests" INTEGER NOT NULL,
    "Errors" INTEGER NOT NULL,
    "ColdStarts" INTEGER NOT NULL,
    "PromptTokens" INTEGER NOT NULL,
    "CompletionTokens" INTEGER NOT NULL,
    "MaxColdStartTtftMs" REAL NULL,
    "Histogram" BLOB NOT NULL
);

CREATE TABLE "Incidents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Incidents" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Scope" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "AffectedEndpoints" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL
);

CREATE TABLE "MaintenanceWindows" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_MaintenanceWindows" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "StartsAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NOT NULL,
    "Reason" TEXT NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);

CREATE TABLE "MinuteRollups" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_MinuteRollups" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "MinuteStart" INTEGER NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Region" TEXT NOT NULL,
    "Tier" TEXT NOT NULL,
    "Traffic" TEXT NOT NULL,
    "Requests" INTEGER NOT NULL,
    "Errors" INTEGER NOT NULL,
    "ColdStarts" INTEGER NOT NULL,
    "PromptTokens" INTEGER NOT NULL,
    "CompletionTokens" INTEGER NOT NULL,
    "MaxColdStartTtftMs" REAL NULL,
    "Histogram" BLOB NOT NULL
);

CREATE TABLE "OpenIddictApplications" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictApplications" PRIMARY KEY,
    "ApplicationType" TEXT NULL,
    "ClientId" TEXT NULL,
    "ClientSecret" TEXT NULL,
    "ClientType" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "ConsentType" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "JsonWebKeySet" TEXT NULL,
    "Permissions" TEXT NULL,
    "PostLogoutRedirectUris" TEXT NULL,
    "Properties" TEXT NULL,
    "RedirectUris" TEXT NULL,
    "Requirements" TEXT NULL,
    "Settings" TEXT NULL
);

CREATE TABLE "OpenIddictScopes" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY,
    "ConcurrencyToken" TEXT NULL,
    "Description" TEXT NULL,
    "Descriptions" TEXT NULL,
    "DisplayName" TEXT NULL,
    "DisplayNames" TEXT NULL,
    "Name" TEXT NULL,
    "Properties" TEXT NULL,
    "Resources" TEXT NULL
);

CREATE TABLE "Pipelines" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Pipelines" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "BudgetMs" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL
);

CREATE TABLE "PlatformSetupTokens" (
    "TokenHash" TEXT NOT NULL CONSTRAINT "PK_PlatformSetupTokens" PRIMARY KEY,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL
);

CREATE TABLE "ProbeRecords" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ProbeRecords" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "WindowId" INTEGER NOT NULL,
    "WindowStart" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Ok" INTEGER NOT NULL,
    "LatencyMs" REAL NULL,
    "TtftMs" REAL NULL,
    "ColdStart" INTEGER NOT NULL,
    "Detail" TEXT NULL
);

CREATE TABLE "ProbeSubjectStates" (
    "SubjectId" TEXT NOT NULL CONSTRAINT "PK_ProbeSubjectStates" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "LastWindowId" INTEGER NOT NULL,
    "ConsecutiveFailures" INTEGER NOT NULL,
    "FirstFailure" INTEGER NULL,
    "LastProbeAt" INTEGER NOT NULL,
    "LastOk" INTEGER NOT NULL
);

CREATE TABLE "RegionLockChanges" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_RegionLockChanges" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "EndpointId" TEXT NULL,
    "Subject" TEXT NOT NULL,
    "Before" TEXT NULL,
    "After" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "ActorId" TEXT NULL,
    "ActorName" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);

CREATE TABLE "RequestSamples" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_RequestSamples" PRIMARY KEY AUTOINCREMENT,
    "Timestamp" INTEGER NOT NULL,
    "TenantId" TEXT NOT NULL,
    "KeyId" TEXT NOT NULL,
    "Operation" TEXT NOT NULL,
    "Model" TEXT NULL,
    "EndpointId" TEXT NULL,
    "TargetId" TEXT NULL,
    "Tier" TEXT NULL,
    "ReplicaId" TEXT NULL,
    "Region" TEXT NULL,
    "Burst" INTEGER NOT NULL,
    "Shadow" INTEGER NOT NULL,
    "StatusCode" INTEGER NOT NULL,
    "ErrorCode" TEXT NULL,
    "Streamed" INTEGER NOT NULL,
    "TtftMs" REAL NULL,
    "ItlMeanMs" REAL NULL,
    "ItlP99Ms" REAL NULL,
    "TpotMs" REAL NULL,
    "EndToEndMs" REAL NOT NULL,
    "PromptTokens" INTEGER NULL,
    "CompletionTokens" INTEGER NULL,
    "ColdStart" INTEGER NOT NULL,
    "Attempts" INTEGER NOT NULL
);

CREATE TABLE "ServerTtftBaselines" (
    "TargetId" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "ScrapedAt" INTEGER NOT NULL,
    "Histogram" BLOB NOT NULL,
    CONSTRAINT "PK_ServerTtftBaselines" PRIMARY KEY ("TargetId", "Source")
);

CREATE TABLE "ServerTtftPoints" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ServerTtftPoints" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Count" REAL NOT NULL,
    "SumSeconds" REAL NOT NULL,
    "Histogram" BLOB NOT NULL
);

CREATE TABLE "Tenants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Tenants" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Slug" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "SuspendedAt" INTEGER NULL,
    "DeletedAt" INTEGER NULL,
    "RequireTwoFactor" INTEGER NOT NULL
);

CREATE TABLE "Webhooks" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Webhooks" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Url" TEXT NOT NULL,
    "ProtectedSecret" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL
);

CREATE TABLE "WeightCredentials" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_WeightCredentials" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "ProtectedValue" TEXT NOT NULL,
    "Hint" TEXT NOT NULL,
    "Endpoint" TEXT NULL,
    "Region" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RotatedAt" INTEGER NULL,
    "RotatedBy" TEXT NULL
);

CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "AutoscaleSettings" (
    "DeploymentId" TEXT NOT NULL CONSTRAINT "PK_AutoscaleSettings" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "TargetInFlightPerReplica" REAL NOT NULL,
    "ScaleOutAfterSeconds" INTEGER NOT NULL,
    "ScaleInAfterSeconds" INTEGER NOT NULL,
    "QuietBelowFraction" REAL NOT NULL,
    "CooldownSeconds" INTEGER NOT NULL,
    "DrainTimeoutSeconds" INTEGER NOT NULL,
    "HighSince" INTEGER NULL,
    "QuietSince" INTEGER NULL,
    "LastChangeAt" INTEGER NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_AutoscaleSettings_Deployments_DeploymentId" FOREIGN KEY ("DeploymentId") REFERENCES "Deployments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Replicas" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Replicas" PRIMARY KEY,
    "DeploymentId" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "Phase" TEXT NOT NULL,
    "RuntimeReplicaId" TEXT NULL,
    "BaseUrl" TEXT NULL,
    "ProtectedApiKey" TEXT NULL,
    "ProcessId" INTEGER NULL,
    "UsesSimulator" INTEGER NOT NULL,
    "IsBurst" INTEGER NOT NULL,
    "Region" TEXT NOT NULL,
    "Restarts" INTEGER NOT NULL,
    "Detail" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ReadyAt" INTEGER NULL,
    "StoppedAt" INTEGER NULL,
    "PhaseChangedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Replicas_Deployments_DeploymentId" FOREIGN KEY ("DeploymentId") REFERENCES "Deployments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ScaleEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_ScaleEvents" PRIMARY KEY AUTOINCREMENT,
    "DeploymentId" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "FromReplicas" INTEGER NOT NULL,
    "ToReplicas" INTEGER NOT NULL,
    "Reason" TEXT NOT NULL,
    "LoadPerReplica" REAL NULL,
    "PolicyJson" TEXT NOT NULL,
    CONSTRAINT "FK_ScaleEvents_Deployments_DeploymentId" FOREIGN KEY ("DeploymentId") REFERENCES "Deployments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Targets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Targets" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "DeploymentId" TEXT NULL,
    "BaseUrl" TEXT NULL,
    "UpstreamModel" TEXT NULL,
    "ProtectedApiKey" TEXT NULL,
    "Region" TEXT NULL,
    "InputPricePerMillion" TEXT NOT NULL,
    "OutputPricePerMillion" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_Targets_Deployments_DeploymentId" FOREIGN KEY ("DeploymentId") REFERENCES "Deployments" ("Id")
);

CREATE TABLE "IncidentEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_IncidentEvents" PRIMARY KEY AUTOINCREMENT,
    "IncidentId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Message" TEXT NOT NULL,
    CONSTRAINT "FK_IncidentEvents_Incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "Incidents" ("Id") ON DELETE CASCADE
);

CREATE TABLE "OpenIddictAuthorizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "Properties" TEXT NULL,
    "Scopes" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id")
);

CREATE TABLE "PipelineStages" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PipelineStages" PRIMARY KEY,
    "PipelineId" TEXT NOT NULL,
    "Position" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "OnCriticalPath" INTEGER NOT NULL,
    "EstimatedColdStartMs" INTEGER NULL,
    CONSTRAINT "FK_PipelineStages_Pipelines_PipelineId" FOREIGN KEY ("PipelineId") REFERENCES "Pipelines" ("Id") ON DELETE CASCADE
);

CREATE TABLE "ApiClients" (
    "ClientId" TEXT NOT NULL CONSTRAINT "PK_ApiClients" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "DisplayName" TEXT NOT NULL,
    "Disabled" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_ApiClients_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "SupportLookIns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SupportLookIns" PRIMARY KEY,
    "SupportUserId" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    CONSTRAINT "FK_SupportLookIns_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TenantInvitations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TenantInvitations" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Email" TEXT NOT NULL,
    "NormalizedEmail" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "InvitedById" TEXT NOT NULL,
    "InvitedByName" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "AcceptedAt" INTEGER NULL,
    "AcceptedUserId" TEXT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_TenantInvitations_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TenantMemberships" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_TenantMemberships" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "Disabled" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_TenantMemberships_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_TenantMemberships_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TenantQuotas" (
    "TenantId" TEXT NOT NULL CONSTRAINT "PK_TenantQuotas" PRIMARY KEY,
    "GpusInUse" INTEGER NULL,
    "ReplicasPerDeployment" INTEGER NULL,
    "Deployments" INTEGER NULL,
    "Endpoints" INTEGER NULL,
    "ApiKeys" INTEGER NULL,
    "Webhooks" INTEGER NULL,
    "Pipelines" INTEGER NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_TenantQuotas_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "TenantResidencyPolicies" (
    "TenantId" TEXT NOT NULL CONSTRAINT "PK_TenantResidencyPolicies" PRIMARY KEY,
    "Regions" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_TenantResidencyPolicies_Tenants_TenantId" FOREIGN KEY ("TenantId") REFERENCES "Tenants" ("Id") ON DELETE CASCADE
);

CREATE TABLE "Endpoints" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Endpoints" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "PrimaryTargetId" TEXT NOT NULL,
    "SecondaryTargetId" TEXT NULL,
    "ShadowShare" REAL NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ConcurrencyStamp" TEXT NOT NULL,
    CONSTRAINT "FK_Endpoints_Targets_PrimaryTargetId" FOREIGN KEY ("PrimaryTargetId") REFERENCES "Targets" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_Endpoints_Targets_SecondaryTargetId" FOREIGN KEY ("SecondaryTargetId") REFERENCES "Targets" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "OpenIddictTokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY,
    "ApplicationId" TEXT NULL,
    "AuthorizationId" TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate" TEXT NULL,
    "ExpirationDate" TEXT NULL,
    "Payload" TEXT NULL,
    "Properties" TEXT NULL,
    "RedemptionDate" TEXT NULL,
    "ReferenceId" TEXT NULL,
    "Status" TEXT NULL,
    "Subject" TEXT NULL,
    "Type" TEXT NULL,
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictApplications_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES "OpenIddictApplications" ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "OpenIddictAuthorizations" ("Id")
);

CREATE TABLE "EndpointRegionLocks" (
    "EndpointId" TEXT NOT NULL CONSTRAINT "PK_EndpointRegionLocks" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Regions" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_EndpointRegionLocks_Endpoints_EndpointId" FOREIGN KEY ("EndpointId") REFERENCES "Endpoints" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ApiClients_TenantId" ON "ApiClients" ("TenantId");

CREATE UNIQUE INDEX "IX_ApiKeys_KeyHash" ON "ApiKeys" ("KeyHash");

CREATE INDEX "IX_ApiKeys_TenantId" ON "ApiKeys" ("TenantId");

CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");

CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");

CREATE INDEX "IX_AuditRecords_TenantId_Action_Sequence" ON "AuditRecords" ("TenantId", "Action", "Sequence");

CREATE INDEX "IX_AuditRecords_TenantId_OccurredAt" ON "AuditRecords" ("TenantId", "OccurredAt");

CREATE INDEX "IX_AuditRecords_TenantId_Sequence" ON "AuditRecords" ("TenantId", "Sequence");

CREATE INDEX "IX_AuditVerificationRuns_FinishedAt" ON "AuditVerificationRuns" ("FinishedAt");

CREATE INDEX "IX_AutoscaleSettings_TenantId" ON "AutoscaleSettings" ("TenantId");

CREATE INDEX "IX_DeploymentEvents_DeploymentId_Id" ON "DeploymentEvents" ("DeploymentId", "Id");

CREATE INDEX "IX_Deployments_Status" ON "Deployments" ("Status");

CREATE INDEX "IX_Deployments_TenantId_Name" ON "Deployments" ("TenantId", "Name");

CREATE INDEX "IX_EndpointRegionLocks_TenantId" ON "EndpointRegionLocks" ("TenantId");

CREATE INDEX "IX_Endpoints_PrimaryTargetId" ON "Endpoints" ("PrimaryTargetId");

CREATE INDEX "IX_Endpoints_SecondaryTargetId" ON "Endpoints" ("SecondaryTargetId");

CREATE UNIQUE INDEX "IX_Endpoints_TenantId_Name" ON "Endpoints" ("TenantId", "Name");

CREATE UNIQUE INDEX "IX_HourRollups_EndpointId_HourStart_TargetId_Region_Tier_Traffic" ON "HourRollups" ("EndpointId", "HourStart", "TargetId", "Region", "Tier", "Traffic");

CREATE INDEX "IX_HourRollups_TenantId_HourStart" ON "HourRollups" ("TenantId", "HourStart");

CREATE INDEX "IX_IncidentEvents_IncidentId" ON "IncidentEvents" ("IncidentId");

CREATE INDEX "IX_Incidents_SubjectId_EndedAt" ON "Incidents" ("SubjectId", "EndedAt");

CREATE INDEX "IX_Incidents_TenantId_StartedAt" ON "Incidents" ("TenantId", "StartedAt");

CREATE INDEX "IX_MaintenanceWindows_EndpointId_StartsAt" ON "MaintenanceWindows" ("EndpointId", "StartsAt");

CREATE INDEX "IX_MaintenanceWindows_TenantId" ON "MaintenanceWindows" ("TenantId");

CREATE UNIQUE INDEX "IX_MinuteRollups_EndpointId_MinuteStart_TargetId_Region_Tier_Traffic" ON "MinuteRollups" ("EndpointId", "MinuteStart", "TargetId", "Region", "Tier", "Traffic");

CREATE INDEX "IX_MinuteRollups_TenantId_MinuteStart" ON "MinuteRollups" ("TenantId", "MinuteStart");

CREATE UNIQUE INDEX "IX_OpenIddictApplications_ClientId" ON "OpenIddictApplications" ("ClientId");

CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");

CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "OpenIddictScopes" ("Name");

CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");

CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "OpenIddictTokens" ("AuthorizationId");

CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "OpenIddictTokens" ("ReferenceId");

CREATE UNIQUE INDEX "IX_Pipelines_TenantId_Name" ON "Pipelines" ("TenantId", "Name");

CREATE INDEX "IX_PipelineStages_EndpointId" ON "PipelineStages" ("EndpointId");

CREATE INDEX "IX_PipelineStages_PipelineId" ON "PipelineStages" ("PipelineId");

CREATE UNIQUE INDEX "IX_ProbeRecords_SubjectId_Kind_WindowId" ON "ProbeRecords" ("SubjectId", "Kind", "WindowId");

CREATE INDEX "IX_ProbeRecords_TargetId_Kind_WindowStart" ON "ProbeRecords" ("TargetId", "Kind", "WindowStart");

CREATE INDEX "IX_ProbeRecords_TenantId_At" ON "ProbeRecords" ("TenantId", "At");

CREATE INDEX "IX_ProbeSubjectStates_TargetId" ON "ProbeSubjectStates" ("TargetId");

CREATE INDEX "IX_RegionLockChanges_TenantId_At" ON "RegionLockChanges" ("TenantId", "At");

CREATE INDEX "IX_Replicas_DeploymentId_Phase" ON "Replicas" ("DeploymentId", "Phase");

CREATE INDEX "IX_Replicas_TenantId" ON "Replicas" ("TenantId");

CREATE INDEX "IX_RequestSamples_TenantId_EndpointId_Timestamp" ON "RequestSamples" ("TenantId", "EndpointId", "Timestamp");

CREATE INDEX "IX_RequestSamples_Timestamp" ON "RequestSamples" ("Timestamp");

CREATE INDEX "IX_ScaleEvents_DeploymentId_Id" ON "ScaleEvents" ("DeploymentId", "Id");

CREATE INDEX "IX_ScaleEvents_TenantId" ON "ScaleEvents" ("TenantId");

CREATE INDEX "IX_ServerTtftBaselines_ScrapedAt" ON "ServerTtftBaselines" ("ScrapedAt");

CREATE INDEX "IX_ServerTtftPoints_At" ON "ServerTtftPoints" ("At");

CREATE INDEX "IX_ServerTtftPoints_TenantId_TargetId_At" ON "ServerTtftPoints" ("TenantId", "TargetId", "At");

CREATE INDEX "IX_SupportLookIns_SupportUserId_ExpiresAt" ON "SupportLookIns" ("SupportUserId", "ExpiresAt");

CREATE INDEX "IX_SupportLookIns_TenantId" ON "SupportLookIns" ("TenantId");

CREATE INDEX "IX_Targets_DeploymentId" ON "Targets" ("DeploymentId");

CREATE INDEX "IX_Targets_TenantId" ON "Targets" ("TenantId");

CREATE INDEX "IX_TenantInvitations_TenantId_NormalizedEmail" ON "TenantInvitations" ("TenantId", "NormalizedEmail");

CREATE UNIQUE INDEX "IX_TenantInvitations_TokenHash" ON "TenantInvitations" ("TokenHash");

CREATE UNIQUE INDEX "IX_TenantMemberships_TenantId_UserId" ON "TenantMemberships" ("TenantId", "UserId");

CREATE INDEX "IX_TenantMemberships_UserId" ON "TenantMemberships" ("UserId");

CREATE UNIQUE INDEX "IX_Tenants_Slug" ON "Tenants" ("Slug");

CREATE INDEX "IX_Webhooks_TenantId" ON "Webhooks" ("TenantId");

CREATE UNIQUE INDEX "IX_WeightCredentials_TenantId_Kind" ON "WeightCredentials" ("TenantId", "Kind");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206220849_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "LatencyObjectives" (
    "EndpointId" TEXT NOT NULL CONSTRAINT "PK_LatencyObjectives" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "ThresholdMs" INTEGER NOT NULL,
    "Percentile" INTEGER NOT NULL,
    "WindowDays" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_LatencyObjectives_Endpoints_EndpointId" FOREIGN KEY ("EndpointId") REFERENCES "Endpoints" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_LatencyObjectives_TenantId" ON "LatencyObjectives" ("TenantId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261206233233_LatencyObjectives', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Targets" ADD "IdleGapSeconds" REAL NULL;

ALTER TABLE "Targets" ADD "TtftProbeOptIn" INTEGER NOT NULL DEFAULT 0;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207001054_TargetProbeSettings', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "Endpoints" ADD "ConcurrencyFloor" INTEGER NULL;

ALTER TABLE "Endpoints" ADD "RequiredQuantization" TEXT NULL;

ALTER TABLE "Endpoints" ADD "RequiredResidency" TEXT NULL;

ALTER TABLE "Endpoints" ADD "RequiresCustomWeights" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "EngineReadings" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_EngineReadings" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "GenerationTokens" REAL NOT NULL,
    "Waiting" REAL NOT NULL
);

CREATE INDEX "IX_EngineReadings_At" ON "EngineReadings" ("At");

CREATE INDEX "IX_EngineReadings_TenantId_TargetId_At" ON "EngineReadings" ("TenantId", "TargetId", "At");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207002339_EndpointRequirementsAndEngineReadings', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AuditChainCheckpoints" (
    "Chain" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "Hash" TEXT NOT NULL,
    "SignedAt" INTEGER NOT NULL,
    "Signature" TEXT NOT NULL,
    "KeyId" TEXT NOT NULL,
    CONSTRAINT "PK_AuditChainCheckpoints" PRIMARY KEY ("Chain", "Sequence")
);

CREATE TABLE "AuditChainRecords" (
    "Chain" TEXT NOT NULL,
    "Sequence" INTEGER NOT NULL,
    "OccurredAt" INTEGER NOT NULL,
    "TenantId" TEXT NULL,
    "ActorId" TEXT NOT NULL,
    "ActorName" TEXT NOT NULL,
    "ActorRoles" TEXT NOT NULL,
    "ActorIp" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "ResourceType" TEXT NOT NULL,
    "ResourceId" TEXT NOT NULL,
    "Outcome" TEXT NOT NULL,
    "Reason" TEXT NULL,
    "Details" TEXT NULL,
    "CorrelationId" TEXT NOT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    CONSTRAINT "PK_AuditChainRecords" PRIMARY KEY ("Chain", "Sequence")
);

CREATE INDEX "IX_AuditChainRecords_TenantId_Action_Sequence" ON "AuditChainRecords" ("TenantId", "Action", "Sequence");

CREATE INDEX "IX_AuditChainRecords_TenantId_OccurredAt" ON "AuditChainRecords" ("TenantId", "OccurredAt");

CREATE INDEX "IX_AuditChainRecords_TenantId_Sequence" ON "AuditChainRecords" ("TenantId", "Sequence");

INSERT INTO "AuditChainRecords" ("Chain", "Sequence", "OccurredAt", "TenantId", "ActorId", "ActorName", "ActorRoles", "ActorIp", "Action", "ResourceType", "ResourceId", "Outcome", "Reason", "Details", "CorrelationId", "PreviousHash", "Hash") SELECT 'legacy', "Sequence", "OccurredAt", "TenantId", "ActorId", "ActorName", "ActorRoles", "ActorIp", "Action", "ResourceType", "ResourceId", "Outcome", "Reason", "Details", "CorrelationId", "PreviousHash", "Hash" FROM "AuditRecords";

INSERT INTO "AuditChainCheckpoints" ("Chain", "Sequence", "Hash", "SignedAt", "Signature", "KeyId") SELECT 'legacy', "Sequence", "Hash", "SignedAt", "Signature", "KeyId" FROM "AuditCheckpoints";

CREATE TRIGGER "AuditChainRecords_NoUpdate" BEFORE UPDATE ON "AuditChainRecords" BEGIN SELECT RAISE(ABORT, 'AuditChainRecords is append-only: UPDATE refused'); END;

CREATE TRIGGER "AuditChainRecords_NoDelete" BEFORE DELETE ON "AuditChainRecords" BEGIN SELECT RAISE(ABORT, 'AuditChainRecords is append-only: DELETE refused'); END;

CREATE TRIGGER "AuditChainCheckpoints_NoUpdate" BEFORE UPDATE ON "AuditChainCheckpoints" BEGIN SELECT RAISE(ABORT, 'AuditChainCheckpoints is append-only: UPDATE refused'); END;

CREATE TRIGGER "AuditChainCheckpoints_NoDelete" BEFORE DELETE ON "AuditChainCheckpoints" BEGIN SELECT RAISE(ABORT, 'AuditChainCheckpoints is append-only: DELETE refused'); END;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207015354_AuditChainsPerTenant', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "DryRuns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_DryRuns" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "WindowFrom" INTEGER NOT NULL,
    "WindowTo" INTEGER NOT NULL,
    "Compression" REAL NOT NULL,
    "Status" TEXT NOT NULL,
    "Progress" REAL NOT NULL,
    "StartedAt" INTEGER NULL,
    "FinishedAt" INTEGER NULL,
    "ExpectedEndAt" INTEGER NULL,
    "CancelRequested" INTEGER NOT NULL,
    "CandidatesJson" TEXT NOT NULL,
    "ReportJson" TEXT NULL,
    "Error" TEXT NULL
);

CREATE INDEX "IX_DryRuns_TenantId_EndpointId_CreatedAt" ON "DryRuns" ("TenantId", "EndpointId", "CreatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207015541_MigrationDryRuns', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "MigrationSignalStates" (
    "EndpointId" TEXT NOT NULL,
    "Signal" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "ChangedAt" INTEGER NOT NULL,
    "EvaluatedAt" INTEGER NOT NULL,
    CONSTRAINT "PK_MigrationSignalStates" PRIMARY KEY ("EndpointId", "Signal")
);

CREATE TABLE "NotificationChannels" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_NotificationChannels" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "EmailTo" TEXT NULL,
    "ToTenantAdmins" INTEGER NOT NULL,
    "ProtectedUrl" TEXT NULL,
    "UrlHint" TEXT NULL,
    "Kinds" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "UpdatedAt" INTEGER NULL,
    "UpdatedBy" TEXT NULL
);

CREATE TABLE "NotificationDeliveries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_NotificationDeliveries" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "ChannelId" TEXT NOT NULL,
    "ChannelType" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "NoticeKey" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "Link" TEXT NULL,
    "Data" TEXT NULL,
    "OccurredAt" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "ReleaseAt" INTEGER NULL,
    "Attempts" INTEGER NOT NULL,
    "LastAttemptAt" INTEGER NULL,
    "LastError" TEXT NULL,
    "SentAt" INTEGER NULL,
    "InDigest" INTEGER NOT NULL
);

CREATE TABLE "NotificationSettings" (
    "TenantId" TEXT NOT NULL CONSTRAINT "PK_NotificationSettings" PRIMARY KEY,
    "TimeZone" TEXT NOT NULL,
    "QuietStartMinute" INTEGER NULL,
    "QuietEndMinute" INTEGER NULL,
    "DigestOnly" INTEGER NOT NULL,
    "DigestHour" INTEGER NOT NULL,
    "IncidentsAlwaysSend" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL
);

CREATE INDEX "IX_MigrationSignalStates_TenantId" ON "MigrationSignalStates" ("TenantId");

CREATE INDEX "IX_NotificationChannels_TenantId" ON "NotificationChannels" ("TenantId");

CREATE UNIQUE INDEX "IX_NotificationDeliveries_ChannelId_NoticeKey" ON "NotificationDeliveries" ("ChannelId", "NoticeKey");

CREATE INDEX "IX_NotificationDeliveries_Status_ReleaseAt" ON "NotificationDeliveries" ("Status", "ReleaseAt");

CREATE INDEX "IX_NotificationDeliveries_TenantId_CreatedAt" ON "NotificationDeliveries" ("TenantId", "CreatedAt");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207021921_Notifications', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "Budgets" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Budgets" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EndpointId" TEXT NULL,
    "MonthlyUsd" TEXT NOT NULL,
    "AlertPercentages" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "UpdatedBy" TEXT NOT NULL
);

CREATE TABLE "UsageDays" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_UsageDays" PRIMARY KEY AUTOINCREMENT,
    "TenantId" TEXT NOT NULL,
    "Day" INTEGER NOT NULL,
    "EndpointId" TEXT NULL,
    "KeyId" TEXT NOT NULL,
    "Model" TEXT NULL,
    "Tier" TEXT NOT NULL,
    "Requests" INTEGER NOT NULL,
    "Errors" INTEGER NOT NULL,
    "PromptTokens" INTEGER NOT NULL,
    "CompletionTokens" INTEGER NOT NULL,
    "ServerlessUsd" TEXT NOT NULL
);

CREATE TABLE "BudgetAlerts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_BudgetAlerts" PRIMARY KEY AUTOINCREMENT,
    "BudgetId" TEXT NOT NULL,
    "TenantId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "Percent" INTEGER NOT NULL,
    "SpendUsd" TEXT NOT NULL,
    "MonthlyUsd" TEXT NOT NULL,
    "FiredAt" INTEGER NOT NULL,
    CONSTRAINT "FK_BudgetAlerts_Budgets_BudgetId" FOREIGN KEY ("BudgetId") REFERENCES "Budgets" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_BudgetAlerts_BudgetId_Month_Percent" ON "BudgetAlerts" ("BudgetId", "Month", "Percent");

CREATE INDEX "IX_BudgetAlerts_TenantId_Month" ON "BudgetAlerts" ("TenantId", "Month");

CREATE UNIQUE INDEX "IX_Budgets_TenantId_EndpointId" ON "Budgets" ("TenantId", "EndpointId");

CREATE INDEX "IX_UsageDays_Day" ON "UsageDays" ("Day");

CREATE INDEX "IX_UsageDays_TenantId_Day" ON "UsageDays" ("TenantId", "Day");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207023426_UsageAndBudgets', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "ErrorBudgetBurns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_ErrorBudgetBurns" PRIMARY KEY,
    "TenantId" TEXT NOT NULL,
    "EndpointId" TEXT NOT NULL,
    "Month" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL,
    "UsedMinutes" TEXT NOT NULL,
    "AllowedMinutes" TEXT NOT NULL,
    CONSTRAINT "FK_ErrorBudgetBurns_Endpoints_EndpointId" FOREIGN KEY ("EndpointId") REFERENCES "Endpoints" ("Id") ON DELETE CASCADE
);

DELETE FROM "BudgetAlerts" WHERE "BudgetId" IN (SELECT "Id" FROM "Budgets" WHERE "EndpointId" IS NULL
    AND rowid NOT IN (SELECT MAX(rowid) FROM "Budgets" WHERE "EndpointId" IS NULL GROUP BY "TenantId"));
DELETE FROM "Budgets" WHERE "EndpointId" IS NULL
    AND rowid NOT IN (SELECT MAX(rowid) FROM "Budgets" WHERE "EndpointId" IS NULL GROUP BY "TenantId");

CREATE UNIQUE INDEX "IX_Budgets_TenantId_TenantWide" ON "Budgets" ("TenantId") WHERE EndpointId IS NULL;

CREATE UNIQUE INDEX "IX_ErrorBudgetBurns_EndpointId_Open" ON "ErrorBudgetBurns" ("EndpointId") WHERE EndedAt IS NULL;

CREATE INDEX "IX_ErrorBudgetBurns_TenantId" ON "ErrorBudgetBurns" ("TenantId");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207031242_BudgetTenantWideAndErrorBudgetBurns', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
CREATE TABLE "AuditArchives" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditArchives" PRIMARY KEY AUTOINCREMENT,
    "Chain" TEXT NOT NULL,
    "TenantId" TEXT NULL,
    "FirstSequence" INTEGER NOT NULL,
    "LastSequence" INTEGER NOT NULL,
    "LastHash" TEXT NOT NULL,
    "RecordCount" INTEGER NOT NULL,
    "FileName" TEXT NOT NULL,
    "FileSha256" TEXT NOT NULL,
    "PeriodFrom" INTEGER NOT NULL,
    "PeriodTo" INTEGER NOT NULL,
    "ArchivedAt" INTEGER NOT NULL
);

CREATE UNIQUE INDEX "IX_AuditArchives_Chain_LastSequence" ON "AuditArchives" ("Chain", "LastSequence");

CREATE INDEX "IX_AuditArchives_TenantId" ON "AuditArchives" ("TenantId");

CREATE TRIGGER "AuditArchives_NoUpdate" BEFORE UPDATE ON "AuditArchives" BEGIN SELECT RAISE(ABORT, 'AuditArchives is append-only: UPDATE refused'); END;

CREATE TRIGGER "AuditArchives_NoDelete" BEFORE DELETE ON "AuditArchives" BEGIN SELECT RAISE(ABORT, 'AuditArchives is append-only: DELETE refused'); END;

DROP TRIGGER "AuditChainRecords_NoDelete";

CREATE TRIGGER "AuditChainRecords_NoDelete" BEFORE DELETE ON "AuditChainRecords"
WHEN NOT EXISTS (
    SELECT 1 FROM "AuditArchives" AS a
    WHERE a."Chain" = OLD."Chain" AND OLD."Sequence" BETWEEN a."FirstSequence" AND a."LastSequence"
      AND length(a."FileSha256") = 64)
BEGIN SELECT RAISE(ABORT, 'AuditChainRecords is append-only: DELETE refused (not in an archived range)'); END;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207031247_AuditArchives', '10.0.15');

COMMIT;

