using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AuditTrail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Append-only ledger tables (SQL Server 2022 / Azure SQL): the engine itself refuses UPDATE and DELETE,
            // and its own ledger digests can be verified beside the portal's hash chain.
            migrationBuilder.Sql(
                """
                CREATE TABLE [AuditCheckpoints] (
                    [Sequence] bigint NOT NULL,
                    [Hash] nchar(64) NOT NULL,
                    [SignedAt] bigint NOT NULL,
                    [Signature] nvarchar(200) NOT NULL,
                    [KeyId] nvarchar(32) NOT NULL,
                    CONSTRAINT [PK_AuditCheckpoints] PRIMARY KEY ([Sequence])
                ) WITH (LEDGER = ON (APPEND_ONLY = ON));
                """);

            migrationBuilder.Sql(
                """
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
                """);

            migrationBuilder.CreateTable(
                name: "AuditVerificationRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: false),
                    Full = table.Column<bool>(type: "bit", nullable: false),
                    IsValid = table.Column<bool>(type: "bit", nullable: false),
                    RecordsVerified = table.Column<long>(type: "bigint", nullable: false),
                    VerifiedUpTo = table.Column<long>(type: "bigint", nullable: false),
                    AnchoredUpTo = table.Column<long>(type: "bigint", nullable: false),
                    FirstBadSequence = table.Column<long>(type: "bigint", nullable: true),
                    Problem = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    Message = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditVerificationRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SupportLookIns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SupportUserId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupportLookIns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupportLookIns_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_TenantId_Action_Sequence",
                table: "AuditRecords",
                columns: new[] { "TenantId", "Action", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_TenantId_OccurredAt",
                table: "AuditRecords",
                columns: new[] { "TenantId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditRecords_TenantId_Sequence",
                table: "AuditRecords",
                columns: new[] { "TenantId", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditVerificationRuns_FinishedAt",
                table: "AuditVerificationRuns",
                column: "FinishedAt");

            migrationBuilder.CreateIndex(
                name: "IX_SupportLookIns_SupportUserId_ExpiresAt",
                table: "SupportLookIns",
                columns: new[] { "SupportUserId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SupportLookIns_TenantId",
                table: "SupportLookIns",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditCheckpoints");

            migrationBuilder.DropTable(
                name: "AuditRecords");

            migrationBuilder.DropTable(
                name: "AuditVerificationRuns");

            migrationBuilder.DropTable(
                name: "SupportLookIns");
        }
    }
}
