IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ApiKeys] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Prefix] nvarchar(40) NOT NULL,
        [KeyHash] nchar(64) NOT NULL,
        [Scopes] int NOT NULL,
        [RequestsPerMinute] int NULL,
        [MaxConcurrentRequests] int NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [ExpiresAt] bigint NULL,
        [RevokedAt] bigint NULL,
        [LastUsedAt] bigint NULL,
        [RotatedToId] uniqueidentifier NULL,
        CONSTRAINT [PK_ApiKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] uniqueidentifier NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [IsSupport] bit NOT NULL,
        [IsOperator] bit NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] bigint NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AuditCheckpoints] (
        [Sequence] bigint NOT NULL,
        [Hash] nchar(64) NOT NULL,
        [SignedAt] bigint NOT NULL,
        [Signature] nvarchar(200) NOT NULL,
        [KeyId] nvarchar(32) NOT NULL,
        CONSTRAINT [PK_AuditCheckpoints] PRIMARY KEY ([Sequence])
    ) WITH (LEDGER = ON (APPEND_ONLY = ON));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AuditRecords] (
        [Sequence] bigint NOT NULL,
        [OccurredAt] bigint NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [ActorId] nvarchar(100) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [ActorRoles] nvarchar(200) NOT NULL,
        [ActorIp] nvarchar(64) NOT NULL,
        [Action] nvarchar(100) NOT NULL,
        [ResourceType] nvarchar(64) NOT NULL,
        [ResourceId] nvarchar(200) NOT NULL,
        [Outcome] nvarchar(16) NOT NULL,
        [Reason] nvarchar(2000) NULL,
        [Details] nvarchar(max) NULL,
        [CorrelationId] nvarchar(100) NOT NULL,
        [PreviousHash] nchar(64) NOT NULL,
        [Hash] nchar(64) NOT NULL,
        CONSTRAINT [PK_AuditRecords] PRIMARY KEY ([Sequence])
    ) WITH (LEDGER = ON (APPEND_ONLY = ON));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AuditVerificationRuns] (
        [Id] bigint NOT NULL IDENTITY,
        [StartedAt] bigint NOT NULL,
        [FinishedAt] bigint NOT NULL,
        [Full] bit NOT NULL,
        [IsValid] bit NOT NULL,
        [RecordsVerified] bigint NOT NULL,
        [VerifiedUpTo] bigint NOT NULL,
        [AnchoredUpTo] bigint NOT NULL,
        [FirstBadSequence] bigint NULL,
        [Problem] nvarchar(32) NULL,
        [Message] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_AuditVerificationRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [DataProtectionKeys] (
        [Id] int NOT NULL IDENTITY,
        [FriendlyName] nvarchar(max) NULL,
        [Xml] nvarchar(max) NULL,
        CONSTRAINT [PK_DataProtectionKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [DeploymentEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [DeploymentId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [ReplicaId] uniqueidentifier NULL,
        [At] bigint NOT NULL,
        [Kind] nvarchar(64) NOT NULL,
        [Message] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_DeploymentEvents] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Deployments] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(64) NOT NULL,
        [SpecJson] nvarchar(max) NOT NULL,
        [ModelDisplayName] nvarchar(200) NOT NULL,
        [ServedModelName] nvarchar(200) NOT NULL,
        [Engine] nvarchar(32) NOT NULL,
        [GpuType] nvarchar(32) NOT NULL,
        [GpusPerReplica] int NOT NULL,
        [BaselineReplicas] int NOT NULL,
        [MaxReplicas] int NOT NULL,
        [DesiredReplicas] int NOT NULL,
        [Region] nvarchar(64) NOT NULL,
        [PricePerGpuHour] decimal(12,4) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [ConcurrencyStamp] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Deployments] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [HourRollups] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [HourStart] bigint NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [Region] nvarchar(64) NOT NULL,
        [Tier] nvarchar(16) NOT NULL,
        [Traffic] nvarchar(16) NOT NULL,
        [Requests] bigint NOT NULL,
        [Errors] bigint NOT NULL,
        [ColdStarts] bigint NOT NULL,
        [PromptTokens] bigint NOT NULL,
        [CompletionTokens] bigint NOT NULL,
        [MaxColdStartTtftMs] float NULL,
        [Histogram] varbinary(max) NOT NULL,
        CONSTRAINT [PK_HourRollups] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Incidents] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [SubjectId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [Scope] nvarchar(16) NOT NULL,
        [Title] nvarchar(300) NOT NULL,
        [AffectedEndpoints] nvarchar(2000) NOT NULL,
        [StartedAt] bigint NOT NULL,
        [EndedAt] bigint NULL,
        CONSTRAINT [PK_Incidents] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [MaintenanceWindows] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [StartsAt] bigint NOT NULL,
        [EndsAt] bigint NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        CONSTRAINT [PK_MaintenanceWindows] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [MinuteRollups] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [MinuteStart] bigint NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [Region] nvarchar(64) NOT NULL,
        [Tier] nvarchar(16) NOT NULL,
        [Traffic] nvarchar(16) NOT NULL,
        [Requests] bigint NOT NULL,
        [Errors] bigint NOT NULL,
        [ColdStarts] bigint NOT NULL,
        [PromptTokens] bigint NOT NULL,
        [CompletionTokens] bigint NOT NULL,
        [MaxColdStartTtftMs] float NULL,
        [Histogram] varbinary(max) NOT NULL,
        CONSTRAINT [PK_MinuteRollups] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictApplications] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationType] nvarchar(50) NULL,
        [ClientId] nvarchar(100) NULL,
        [ClientSecret] nvarchar(max) NULL,
        [ClientType] nvarchar(50) NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [ConsentType] nvarchar(50) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [JsonWebKeySet] nvarchar(max) NULL,
        [Permissions] nvarchar(max) NULL,
        [PostLogoutRedirectUris] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedirectUris] nvarchar(max) NULL,
        [Requirements] nvarchar(max) NULL,
        [Settings] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictApplications] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictScopes] (
        [Id] uniqueidentifier NOT NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [Description] nvarchar(max) NULL,
        [Descriptions] nvarchar(max) NULL,
        [DisplayName] nvarchar(max) NULL,
        [DisplayNames] nvarchar(max) NULL,
        [Name] nvarchar(200) NULL,
        [Properties] nvarchar(max) NULL,
        [Resources] nvarchar(max) NULL,
        CONSTRAINT [PK_OpenIddictScopes] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Pipelines] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [BudgetMs] int NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        CONSTRAINT [PK_Pipelines] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [PlatformSetupTokens] (
        [TokenHash] nvarchar(64) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [ExpiresAt] bigint NOT NULL,
        CONSTRAINT [PK_PlatformSetupTokens] PRIMARY KEY ([TokenHash])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ProbeRecords] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [SubjectId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [WindowId] bigint NOT NULL,
        [WindowStart] bigint NOT NULL,
        [At] bigint NOT NULL,
        [Ok] bit NOT NULL,
        [LatencyMs] float NULL,
        [TtftMs] float NULL,
        [ColdStart] bit NOT NULL,
        [Detail] nvarchar(500) NULL,
        CONSTRAINT [PK_ProbeRecords] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ProbeSubjectStates] (
        [SubjectId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [LastWindowId] bigint NOT NULL,
        [ConsecutiveFailures] int NOT NULL,
        [FirstFailure] bigint NULL,
        [LastProbeAt] bigint NOT NULL,
        [LastOk] bit NOT NULL,
        CONSTRAINT [PK_ProbeSubjectStates] PRIMARY KEY ([SubjectId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [RegionLockChanges] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NULL,
        [Subject] nvarchar(200) NOT NULL,
        [Before] nvarchar(1000) NULL,
        [After] nvarchar(1000) NULL,
        [Reason] nvarchar(1000) NOT NULL,
        [ActorId] nvarchar(200) NULL,
        [ActorName] nvarchar(200) NOT NULL,
        [At] bigint NOT NULL,
        CONSTRAINT [PK_RegionLockChanges] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [RequestSamples] (
        [Id] bigint NOT NULL IDENTITY,
        [Timestamp] bigint NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [KeyId] uniqueidentifier NOT NULL,
        [Operation] nvarchar(32) NOT NULL,
        [Model] nvarchar(200) NULL,
        [EndpointId] uniqueidentifier NULL,
        [TargetId] uniqueidentifier NULL,
        [Tier] nvarchar(16) NULL,
        [ReplicaId] nvarchar(200) NULL,
        [Region] nvarchar(64) NULL,
        [Burst] bit NOT NULL,
        [Shadow] bit NOT NULL,
        [StatusCode] int NOT NULL,
        [ErrorCode] nvarchar(64) NULL,
        [Streamed] bit NOT NULL,
        [TtftMs] float NULL,
        [ItlMeanMs] float NULL,
        [ItlP99Ms] float NULL,
        [TpotMs] float NULL,
        [EndToEndMs] float NOT NULL,
        [PromptTokens] int NULL,
        [CompletionTokens] int NULL,
        [ColdStart] bit NOT NULL,
        [Attempts] int NOT NULL,
        CONSTRAINT [PK_RequestSamples] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ServerTtftBaselines] (
        [TargetId] uniqueidentifier NOT NULL,
        [Source] nvarchar(80) NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [ScrapedAt] bigint NOT NULL,
        [Histogram] varbinary(max) NOT NULL,
        CONSTRAINT [PK_ServerTtftBaselines] PRIMARY KEY ([TargetId], [Source])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ServerTtftPoints] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [At] bigint NOT NULL,
        [Count] float NOT NULL,
        [SumSeconds] float NOT NULL,
        [Histogram] varbinary(max) NOT NULL,
        CONSTRAINT [PK_ServerTtftPoints] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Tenants] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Slug] nvarchar(64) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [SuspendedAt] bigint NULL,
        [DeletedAt] bigint NULL,
        [RequireTwoFactor] bit NOT NULL,
        CONSTRAINT [PK_Tenants] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Webhooks] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Url] nvarchar(400) NOT NULL,
        [ProtectedSecret] nvarchar(2000) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_Webhooks] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [WeightCredentials] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [ProtectedValue] nvarchar(4000) NOT NULL,
        [Hint] nvarchar(64) NOT NULL,
        [Endpoint] nvarchar(400) NULL,
        [Region] nvarchar(64) NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [RotatedAt] bigint NULL,
        [RotatedBy] nvarchar(200) NULL,
        CONSTRAINT [PK_WeightCredentials] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] uniqueidentifier NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] uniqueidentifier NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [AutoscaleSettings] (
        [DeploymentId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [TargetInFlightPerReplica] float NOT NULL,
        [ScaleOutAfterSeconds] int NOT NULL,
        [ScaleInAfterSeconds] int NOT NULL,
        [QuietBelowFraction] float NOT NULL,
        [CooldownSeconds] int NOT NULL,
        [DrainTimeoutSeconds] int NOT NULL,
        [HighSince] bigint NULL,
        [QuietSince] bigint NULL,
        [LastChangeAt] bigint NULL,
        [UpdatedAt] bigint NOT NULL,
        CONSTRAINT [PK_AutoscaleSettings] PRIMARY KEY ([DeploymentId]),
        CONSTRAINT [FK_AutoscaleSettings_Deployments_DeploymentId] FOREIGN KEY ([DeploymentId]) REFERENCES [Deployments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Replicas] (
        [Id] uniqueidentifier NOT NULL,
        [DeploymentId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Phase] nvarchar(16) NOT NULL,
        [RuntimeReplicaId] nvarchar(200) NULL,
        [BaseUrl] nvarchar(400) NULL,
        [ProtectedApiKey] nvarchar(2000) NULL,
        [ProcessId] int NULL,
        [UsesSimulator] bit NOT NULL,
        [IsBurst] bit NOT NULL,
        [Region] nvarchar(64) NOT NULL,
        [Restarts] int NOT NULL,
        [Detail] nvarchar(1000) NULL,
        [CreatedAt] bigint NOT NULL,
        [ReadyAt] bigint NULL,
        [StoppedAt] bigint NULL,
        [PhaseChangedAt] bigint NOT NULL,
        CONSTRAINT [PK_Replicas] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Replicas_Deployments_DeploymentId] FOREIGN KEY ([DeploymentId]) REFERENCES [Deployments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ScaleEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [DeploymentId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [At] bigint NOT NULL,
        [FromReplicas] int NOT NULL,
        [ToReplicas] int NOT NULL,
        [Reason] nvarchar(1000) NOT NULL,
        [LoadPerReplica] float NULL,
        [PolicyJson] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_ScaleEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ScaleEvents_Deployments_DeploymentId] FOREIGN KEY ([DeploymentId]) REFERENCES [Deployments] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Targets] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Kind] nvarchar(16) NOT NULL,
        [DeploymentId] uniqueidentifier NULL,
        [BaseUrl] nvarchar(400) NULL,
        [UpstreamModel] nvarchar(200) NULL,
        [ProtectedApiKey] nvarchar(2000) NULL,
        [Region] nvarchar(64) NULL,
        [InputPricePerMillion] decimal(12,6) NOT NULL,
        [OutputPricePerMillion] decimal(12,6) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        CONSTRAINT [PK_Targets] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Targets_Deployments_DeploymentId] FOREIGN KEY ([DeploymentId]) REFERENCES [Deployments] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [IncidentEvents] (
        [Id] bigint NOT NULL IDENTITY,
        [IncidentId] uniqueidentifier NOT NULL,
        [At] bigint NOT NULL,
        [Kind] nvarchar(64) NOT NULL,
        [Message] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_IncidentEvents] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_IncidentEvents_Incidents_IncidentId] FOREIGN KEY ([IncidentId]) REFERENCES [Incidents] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictAuthorizations] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationId] uniqueidentifier NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [Properties] nvarchar(max) NULL,
        [Scopes] nvarchar(max) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(50) NULL,
        CONSTRAINT [PK_OpenIddictAuthorizations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictAuthorizations_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [PipelineStages] (
        [Id] uniqueidentifier NOT NULL,
        [PipelineId] uniqueidentifier NOT NULL,
        [Position] int NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [OnCriticalPath] bit NOT NULL,
        [EstimatedColdStartMs] int NULL,
        CONSTRAINT [PK_PipelineStages] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_PipelineStages_Pipelines_PipelineId] FOREIGN KEY ([PipelineId]) REFERENCES [Pipelines] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [ApiClients] (
        [ClientId] nvarchar(100) NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Role] nvarchar(32) NOT NULL,
        [DisplayName] nvarchar(200) NOT NULL,
        [Disabled] bit NOT NULL,
        [CreatedAt] bigint NOT NULL,
        CONSTRAINT [PK_ApiClients] PRIMARY KEY ([ClientId]),
        CONSTRAINT [FK_ApiClients_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [SupportLookIns] (
        [Id] uniqueidentifier NOT NULL,
        [SupportUserId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Reason] nvarchar(500) NOT NULL,
        [StartedAt] bigint NOT NULL,
        [ExpiresAt] bigint NOT NULL,
        CONSTRAINT [PK_SupportLookIns] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_SupportLookIns_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [TenantInvitations] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Email] nvarchar(256) NOT NULL,
        [NormalizedEmail] nvarchar(256) NOT NULL,
        [Role] nvarchar(32) NOT NULL,
        [TokenHash] nvarchar(64) NOT NULL,
        [InvitedById] nvarchar(100) NOT NULL,
        [InvitedByName] nvarchar(200) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [ExpiresAt] bigint NOT NULL,
        [AcceptedAt] bigint NULL,
        [AcceptedUserId] uniqueidentifier NULL,
        [RevokedAt] bigint NULL,
        CONSTRAINT [PK_TenantInvitations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TenantInvitations_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [TenantMemberships] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserId] uniqueidentifier NOT NULL,
        [Role] nvarchar(32) NOT NULL,
        [Disabled] bit NOT NULL,
        [CreatedAt] bigint NOT NULL,
        CONSTRAINT [PK_TenantMemberships] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_TenantMemberships_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_TenantMemberships_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [TenantQuotas] (
        [TenantId] uniqueidentifier NOT NULL,
        [GpusInUse] int NULL,
        [ReplicasPerDeployment] int NULL,
        [Deployments] int NULL,
        [Endpoints] int NULL,
        [ApiKeys] int NULL,
        [Webhooks] int NULL,
        [Pipelines] int NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_TenantQuotas] PRIMARY KEY ([TenantId]),
        CONSTRAINT [FK_TenantQuotas_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [TenantResidencyPolicies] (
        [TenantId] uniqueidentifier NOT NULL,
        [Regions] nvarchar(1000) NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_TenantResidencyPolicies] PRIMARY KEY ([TenantId]),
        CONSTRAINT [FK_TenantResidencyPolicies_Tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [Tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [Endpoints] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [PrimaryTargetId] uniqueidentifier NOT NULL,
        [SecondaryTargetId] uniqueidentifier NULL,
        [ShadowShare] float NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [ConcurrencyStamp] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_Endpoints] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_Endpoints_Targets_PrimaryTargetId] FOREIGN KEY ([PrimaryTargetId]) REFERENCES [Targets] ([Id]) ON DELETE NO ACTION,
        CONSTRAINT [FK_Endpoints_Targets_SecondaryTargetId] FOREIGN KEY ([SecondaryTargetId]) REFERENCES [Targets] ([Id]) ON DELETE NO ACTION
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [OpenIddictTokens] (
        [Id] uniqueidentifier NOT NULL,
        [ApplicationId] uniqueidentifier NULL,
        [AuthorizationId] uniqueidentifier NULL,
        [ConcurrencyToken] nvarchar(50) NULL,
        [CreationDate] datetime2 NULL,
        [ExpirationDate] datetime2 NULL,
        [Payload] nvarchar(max) NULL,
        [Properties] nvarchar(max) NULL,
        [RedemptionDate] datetime2 NULL,
        [ReferenceId] nvarchar(100) NULL,
        [Status] nvarchar(50) NULL,
        [Subject] nvarchar(400) NULL,
        [Type] nvarchar(150) NULL,
        CONSTRAINT [PK_OpenIddictTokens] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictApplications_ApplicationId] FOREIGN KEY ([ApplicationId]) REFERENCES [OpenIddictApplications] ([Id]),
        CONSTRAINT [FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId] FOREIGN KEY ([AuthorizationId]) REFERENCES [OpenIddictAuthorizations] ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE TABLE [EndpointRegionLocks] (
        [EndpointId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Regions] nvarchar(1000) NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_EndpointRegionLocks] PRIMARY KEY ([EndpointId]),
        CONSTRAINT [FK_EndpointRegionLocks_Endpoints_EndpointId] FOREIGN KEY ([EndpointId]) REFERENCES [Endpoints] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiClients_TenantId] ON [ApiClients] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ApiKeys_KeyHash] ON [ApiKeys] ([KeyHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ApiKeys_TenantId] ON [ApiKeys] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditRecords_TenantId_Action_Sequence] ON [AuditRecords] ([TenantId], [Action], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditRecords_TenantId_OccurredAt] ON [AuditRecords] ([TenantId], [OccurredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditRecords_TenantId_Sequence] ON [AuditRecords] ([TenantId], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AuditVerificationRuns_FinishedAt] ON [AuditVerificationRuns] ([FinishedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_AutoscaleSettings_TenantId] ON [AutoscaleSettings] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_DeploymentEvents_DeploymentId_Id] ON [DeploymentEvents] ([DeploymentId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Deployments_Status] ON [Deployments] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Deployments_TenantId_Name] ON [Deployments] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_EndpointRegionLocks_TenantId] ON [EndpointRegionLocks] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Endpoints_PrimaryTargetId] ON [Endpoints] ([PrimaryTargetId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Endpoints_SecondaryTargetId] ON [Endpoints] ([SecondaryTargetId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Endpoints_TenantId_Name] ON [Endpoints] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_HourRollups_EndpointId_HourStart_TargetId_Region_Tier_Traffic] ON [HourRollups] ([EndpointId], [HourStart], [TargetId], [Region], [Tier], [Traffic]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_HourRollups_TenantId_HourStart] ON [HourRollups] ([TenantId], [HourStart]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_IncidentEvents_IncidentId] ON [IncidentEvents] ([IncidentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Incidents_SubjectId_EndedAt] ON [Incidents] ([SubjectId], [EndedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Incidents_TenantId_StartedAt] ON [Incidents] ([TenantId], [StartedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_MaintenanceWindows_EndpointId_StartsAt] ON [MaintenanceWindows] ([EndpointId], [StartsAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_MaintenanceWindows_TenantId] ON [MaintenanceWindows] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_MinuteRollups_EndpointId_MinuteStart_TargetId_Region_Tier_Traffic] ON [MinuteRollups] ([EndpointId], [MinuteStart], [TargetId], [Region], [Tier], [Traffic]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_MinuteRollups_TenantId_MinuteStart] ON [MinuteRollups] ([TenantId], [MinuteStart]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictApplications_ClientId] ON [OpenIddictApplications] ([ClientId]) WHERE [ClientId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type] ON [OpenIddictAuthorizations] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictScopes_Name] ON [OpenIddictScopes] ([Name]) WHERE [Name] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_ApplicationId_Status_Subject_Type] ON [OpenIddictTokens] ([ApplicationId], [Status], [Subject], [Type]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_OpenIddictTokens_AuthorizationId] ON [OpenIddictTokens] ([AuthorizationId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OpenIddictTokens_ReferenceId] ON [OpenIddictTokens] ([ReferenceId]) WHERE [ReferenceId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Pipelines_TenantId_Name] ON [Pipelines] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_PipelineStages_EndpointId] ON [PipelineStages] ([EndpointId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_PipelineStages_PipelineId] ON [PipelineStages] ([PipelineId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_ProbeRecords_SubjectId_Kind_WindowId] ON [ProbeRecords] ([SubjectId], [Kind], [WindowId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ProbeRecords_TargetId_Kind_WindowStart] ON [ProbeRecords] ([TargetId], [Kind], [WindowStart]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ProbeRecords_TenantId_At] ON [ProbeRecords] ([TenantId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ProbeSubjectStates_TargetId] ON [ProbeSubjectStates] ([TargetId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_RegionLockChanges_TenantId_At] ON [RegionLockChanges] ([TenantId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Replicas_DeploymentId_Phase] ON [Replicas] ([DeploymentId], [Phase]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Replicas_TenantId] ON [Replicas] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_RequestSamples_TenantId_EndpointId_Timestamp] ON [RequestSamples] ([TenantId], [EndpointId], [Timestamp]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_RequestSamples_Timestamp] ON [RequestSamples] ([Timestamp]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ScaleEvents_DeploymentId_Id] ON [ScaleEvents] ([DeploymentId], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ScaleEvents_TenantId] ON [ScaleEvents] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ServerTtftBaselines_ScrapedAt] ON [ServerTtftBaselines] ([ScrapedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ServerTtftPoints_At] ON [ServerTtftPoints] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_ServerTtftPoints_TenantId_TargetId_At] ON [ServerTtftPoints] ([TenantId], [TargetId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_SupportLookIns_SupportUserId_ExpiresAt] ON [SupportLookIns] ([SupportUserId], [ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_SupportLookIns_TenantId] ON [SupportLookIns] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Targets_DeploymentId] ON [Targets] ([DeploymentId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Targets_TenantId] ON [Targets] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_TenantInvitations_TenantId_NormalizedEmail] ON [TenantInvitations] ([TenantId], [NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TenantInvitations_TokenHash] ON [TenantInvitations] ([TokenHash]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_TenantMemberships_TenantId_UserId] ON [TenantMemberships] ([TenantId], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_TenantMemberships_UserId] ON [TenantMemberships] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Tenants_Slug] ON [Tenants] ([Slug]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE INDEX [IX_Webhooks_TenantId] ON [Webhooks] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    CREATE UNIQUE INDEX [IX_WeightCredentials_TenantId_Kind] ON [WeightCredentials] ([TenantId], [Kind]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206220843_Initial'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206220843_Initial', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206233238_LatencyObjectives'
)
BEGIN
    CREATE TABLE [LatencyObjectives] (
        [EndpointId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [ThresholdMs] int NOT NULL,
        [Percentile] int NOT NULL,
        [WindowDays] int NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_LatencyObjectives] PRIMARY KEY ([EndpointId]),
        CONSTRAINT [FK_LatencyObjectives_Endpoints_EndpointId] FOREIGN KEY ([EndpointId]) REFERENCES [Endpoints] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206233238_LatencyObjectives'
)
BEGIN
    CREATE INDEX [IX_LatencyObjectives_TenantId] ON [LatencyObjectives] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206233238_LatencyObjectives'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206233238_LatencyObjectives', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207001058_TargetProbeSettings'
)
BEGIN
    ALTER TABLE [Targets] ADD [IdleGapSeconds] float NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207001058_TargetProbeSettings'
)
BEGIN
    ALTER TABLE [Targets] ADD [TtftProbeOptIn] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207001058_TargetProbeSettings'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207001058_TargetProbeSettings', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    ALTER TABLE [Endpoints] ADD [ConcurrencyFloor] int NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    ALTER TABLE [Endpoints] ADD [RequiredQuantization] nvarchar(16) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    ALTER TABLE [Endpoints] ADD [RequiredResidency] nvarchar(8) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    ALTER TABLE [Endpoints] ADD [RequiresCustomWeights] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    CREATE TABLE [EngineReadings] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [TargetId] uniqueidentifier NOT NULL,
        [Source] nvarchar(64) NOT NULL,
        [At] bigint NOT NULL,
        [GenerationTokens] float NOT NULL,
        [Waiting] float NOT NULL,
        CONSTRAINT [PK_EngineReadings] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    CREATE INDEX [IX_EngineReadings_At] ON [EngineReadings] ([At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    CREATE INDEX [IX_EngineReadings_TenantId_TargetId_At] ON [EngineReadings] ([TenantId], [TargetId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207002344_EndpointRequirementsAndEngineReadings'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207002344_EndpointRequirementsAndEngineReadings', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    CREATE TABLE [AuditChainCheckpoints] (
        [Chain] nvarchar(36) NOT NULL,
        [Sequence] bigint NOT NULL,
        [Hash] nchar(64) NOT NULL,
        [SignedAt] bigint NOT NULL,
        [Signature] nvarchar(200) NOT NULL,
        [KeyId] nvarchar(32) NOT NULL,
        CONSTRAINT [PK_AuditChainCheckpoints] PRIMARY KEY ([Chain], [Sequence])
    ) WITH (LEDGER = ON (APPEND_ONLY = ON));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    CREATE TABLE [AuditChainRecords] (
        [Chain] nvarchar(36) NOT NULL,
        [Sequence] bigint NOT NULL,
        [OccurredAt] bigint NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [ActorId] nvarchar(100) NOT NULL,
        [ActorName] nvarchar(256) NOT NULL,
        [ActorRoles] nvarchar(200) NOT NULL,
        [ActorIp] nvarchar(64) NOT NULL,
        [Action] nvarchar(100) NOT NULL,
        [ResourceType] nvarchar(64) NOT NULL,
        [ResourceId] nvarchar(200) NOT NULL,
        [Outcome] nvarchar(16) NOT NULL,
        [Reason] nvarchar(2000) NULL,
        [Details] nvarchar(max) NULL,
        [CorrelationId] nvarchar(100) NOT NULL,
        [PreviousHash] nchar(64) NOT NULL,
        [Hash] nchar(64) NOT NULL,
        CONSTRAINT [PK_AuditChainRecords] PRIMARY KEY ([Chain], [Sequence])
    ) WITH (LEDGER = ON (APPEND_ONLY = ON));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    CREATE INDEX [IX_AuditChainRecords_TenantId_Action_Sequence] ON [AuditChainRecords] ([TenantId], [Action], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    CREATE INDEX [IX_AuditChainRecords_TenantId_OccurredAt] ON [AuditChainRecords] ([TenantId], [OccurredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    CREATE INDEX [IX_AuditChainRecords_TenantId_Sequence] ON [AuditChainRecords] ([TenantId], [Sequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    INSERT INTO [AuditChainRecords] ([Chain], [Sequence], [OccurredAt], [TenantId], [ActorId], [ActorName], [ActorRoles], [ActorIp], [Action], [ResourceType], [ResourceId], [Outcome], [Reason], [Details], [CorrelationId], [PreviousHash], [Hash]) SELECT N'legacy', [Sequence], [OccurredAt], [TenantId], [ActorId], [ActorName], [ActorRoles], [ActorIp], [Action], [ResourceType], [ResourceId], [Outcome], [Reason], [Details], [CorrelationId], [PreviousHash], [Hash] FROM [AuditRecords];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    INSERT INTO [AuditChainCheckpoints] ([Chain], [Sequence], [Hash], [SignedAt], [Signature], [KeyId]) SELECT N'legacy', [Sequence], [Hash], [SignedAt], [Signature], [KeyId] FROM [AuditCheckpoints];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015403_AuditChainsPerTenant'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207015403_AuditChainsPerTenant', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015550_MigrationDryRuns'
)
BEGIN
    CREATE TABLE [DryRuns] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [WindowFrom] bigint NOT NULL,
        [WindowTo] bigint NOT NULL,
        [Compression] float NOT NULL,
        [Status] nvarchar(20) NOT NULL,
        [Progress] float NOT NULL,
        [StartedAt] bigint NULL,
        [FinishedAt] bigint NULL,
        [ExpectedEndAt] bigint NULL,
        [CancelRequested] bit NOT NULL,
        [CandidatesJson] nvarchar(max) NOT NULL,
        [ReportJson] nvarchar(max) NULL,
        [Error] nvarchar(2000) NULL,
        CONSTRAINT [PK_DryRuns] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015550_MigrationDryRuns'
)
BEGIN
    CREATE INDEX [IX_DryRuns_TenantId_EndpointId_CreatedAt] ON [DryRuns] ([TenantId], [EndpointId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207015550_MigrationDryRuns'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207015550_MigrationDryRuns', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE TABLE [MigrationSignalStates] (
        [EndpointId] uniqueidentifier NOT NULL,
        [Signal] nvarchar(32) NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [State] nvarchar(16) NOT NULL,
        [ChangedAt] bigint NOT NULL,
        [EvaluatedAt] bigint NOT NULL,
        CONSTRAINT [PK_MigrationSignalStates] PRIMARY KEY ([EndpointId], [Signal])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE TABLE [NotificationChannels] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Type] nvarchar(16) NOT NULL,
        [EmailTo] nvarchar(2000) NULL,
        [ToTenantAdmins] bit NOT NULL,
        [ProtectedUrl] nvarchar(4000) NULL,
        [UrlHint] nvarchar(200) NULL,
        [Kinds] nvarchar(500) NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [CreatedBy] nvarchar(200) NOT NULL,
        [UpdatedAt] bigint NULL,
        [UpdatedBy] nvarchar(200) NULL,
        CONSTRAINT [PK_NotificationChannels] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE TABLE [NotificationDeliveries] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [ChannelId] uniqueidentifier NOT NULL,
        [ChannelType] nvarchar(16) NOT NULL,
        [Kind] nvarchar(32) NOT NULL,
        [NoticeKey] nvarchar(200) NOT NULL,
        [Title] nvarchar(300) NOT NULL,
        [Text] nvarchar(2000) NOT NULL,
        [Link] nvarchar(400) NULL,
        [Data] nvarchar(max) NULL,
        [OccurredAt] bigint NOT NULL,
        [CreatedAt] bigint NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [ReleaseAt] bigint NULL,
        [Attempts] int NOT NULL,
        [LastAttemptAt] bigint NULL,
        [LastError] nvarchar(500) NULL,
        [SentAt] bigint NULL,
        [InDigest] bit NOT NULL,
        CONSTRAINT [PK_NotificationDeliveries] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE TABLE [NotificationSettings] (
        [TenantId] uniqueidentifier NOT NULL,
        [TimeZone] nvarchar(64) NOT NULL,
        [QuietStartMinute] int NULL,
        [QuietEndMinute] int NULL,
        [DigestOnly] bit NOT NULL,
        [DigestHour] int NOT NULL,
        [IncidentsAlwaysSend] bit NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(200) NOT NULL,
        CONSTRAINT [PK_NotificationSettings] PRIMARY KEY ([TenantId])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE INDEX [IX_MigrationSignalStates_TenantId] ON [MigrationSignalStates] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE INDEX [IX_NotificationChannels_TenantId] ON [NotificationChannels] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE UNIQUE INDEX [IX_NotificationDeliveries_ChannelId_NoticeKey] ON [NotificationDeliveries] ([ChannelId], [NoticeKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_Status_ReleaseAt] ON [NotificationDeliveries] ([Status], [ReleaseAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    CREATE INDEX [IX_NotificationDeliveries_TenantId_CreatedAt] ON [NotificationDeliveries] ([TenantId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207022058_Notifications'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207022058_Notifications', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE TABLE [Budgets] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NULL,
        [MonthlyUsd] decimal(16,4) NOT NULL,
        [AlertPercentages] nvarchar(100) NOT NULL,
        [UpdatedAt] bigint NOT NULL,
        [UpdatedBy] nvarchar(256) NOT NULL,
        CONSTRAINT [PK_Budgets] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE TABLE [UsageDays] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [Day] bigint NOT NULL,
        [EndpointId] uniqueidentifier NULL,
        [KeyId] uniqueidentifier NOT NULL,
        [Model] nvarchar(200) NULL,
        [Tier] nvarchar(16) NOT NULL,
        [Requests] bigint NOT NULL,
        [Errors] bigint NOT NULL,
        [PromptTokens] bigint NOT NULL,
        [CompletionTokens] bigint NOT NULL,
        [ServerlessUsd] decimal(20,10) NOT NULL,
        CONSTRAINT [PK_UsageDays] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE TABLE [BudgetAlerts] (
        [Id] bigint NOT NULL IDENTITY,
        [BudgetId] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Month] nvarchar(7) NOT NULL,
        [Percent] int NOT NULL,
        [SpendUsd] decimal(20,10) NOT NULL,
        [MonthlyUsd] decimal(16,4) NOT NULL,
        [FiredAt] bigint NOT NULL,
        CONSTRAINT [PK_BudgetAlerts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_BudgetAlerts_Budgets_BudgetId] FOREIGN KEY ([BudgetId]) REFERENCES [Budgets] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE UNIQUE INDEX [IX_BudgetAlerts_BudgetId_Month_Percent] ON [BudgetAlerts] ([BudgetId], [Month], [Percent]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE INDEX [IX_BudgetAlerts_TenantId_Month] ON [BudgetAlerts] ([TenantId], [Month]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE UNIQUE INDEX [IX_Budgets_TenantId_EndpointId] ON [Budgets] ([TenantId], [EndpointId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE INDEX [IX_UsageDays_Day] ON [UsageDays] ([Day]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    CREATE INDEX [IX_UsageDays_TenantId_Day] ON [UsageDays] ([TenantId], [Day]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207023458_UsageAndBudgets'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207023458_UsageAndBudgets', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031256_AuditArchives'
)
BEGIN
    CREATE TABLE [AuditArchives] (
        [Id] bigint NOT NULL IDENTITY(1, 1),
        [Chain] nvarchar(36) NOT NULL,
        [TenantId] uniqueidentifier NULL,
        [FirstSequence] bigint NOT NULL,
        [LastSequence] bigint NOT NULL,
        [LastHash] nchar(64) NOT NULL,
        [RecordCount] bigint NOT NULL,
        [FileName] nvarchar(200) NOT NULL,
        [FileSha256] nchar(64) NOT NULL,
        [PeriodFrom] bigint NOT NULL,
        [PeriodTo] bigint NOT NULL,
        [ArchivedAt] bigint NOT NULL,
        CONSTRAINT [PK_AuditArchives] PRIMARY KEY ([Id])
    ) WITH (LEDGER = ON (APPEND_ONLY = ON));
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031256_AuditArchives'
)
BEGIN
    CREATE UNIQUE INDEX [IX_AuditArchives_Chain_LastSequence] ON [AuditArchives] ([Chain], [LastSequence]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031256_AuditArchives'
)
BEGIN
    CREATE INDEX [IX_AuditArchives_TenantId] ON [AuditArchives] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031256_AuditArchives'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207031256_AuditArchives', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031303_BudgetTenantWideAndErrorBudgetBurns'
)
BEGIN
    CREATE TABLE [ErrorBudgetBurns] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [Month] nvarchar(7) NOT NULL,
        [StartedAt] bigint NOT NULL,
        [EndedAt] bigint NULL,
        [UsedMinutes] decimal(18,4) NOT NULL,
        [AllowedMinutes] decimal(18,4) NOT NULL,
        CONSTRAINT [PK_ErrorBudgetBurns] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_ErrorBudgetBurns_Endpoints_EndpointId] FOREIGN KEY ([EndpointId]) REFERENCES [Endpoints] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031303_BudgetTenantWideAndErrorBudgetBurns'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_Budgets_TenantId_TenantWide] ON [Budgets] ([TenantId]) WHERE EndpointId IS NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031303_BudgetTenantWideAndErrorBudgetBurns'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_ErrorBudgetBurns_EndpointId_Open] ON [ErrorBudgetBurns] ([EndpointId]) WHERE EndedAt IS NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031303_BudgetTenantWideAndErrorBudgetBurns'
)
BEGIN
    CREATE INDEX [IX_ErrorBudgetBurns_TenantId] ON [ErrorBudgetBurns] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207031303_BudgetTenantWideAndErrorBudgetBurns'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207031303_BudgetTenantWideAndErrorBudgetBurns', N'10.0.15');
END;

COMMIT;
GO

