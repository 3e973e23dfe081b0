using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <summary>
    /// One chain per tenant (and one for the platform): records and checkpoints move to append-only ledger tables keyed
    /// by (chain, sequence). The records sealed so far are copied there, unchanged, as the frozen legacy chain; their
    /// original ledger tables stay and are never written again (a ledger table cannot be altered into the new key).
    /// </summary>
    public partial class AuditChainsPerTenant : Migration
    {
        private const string Records = "[Sequence], [OccurredAt], [TenantId], [ActorId], [ActorName], [ActorRoles], [ActorIp], [Action], "
            + "[ResourceType], [ResourceId], [Outcome], [Reason], [Details], [CorrelationId], [PreviousHash], [Hash]";

        private const string Checkpoints = "[Sequence], [Hash], [SignedAt], [Signature], [KeyId]";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE TABLE [AuditChainCheckpoints] (
                    [Chain] nvarchar(36) NOT NULL,
                    [Sequence] bigint NOT NULL,
                    [Hash] nchar(64) NOT NULL,
                    [SignedAt] bigint NOT NULL,
                    [Signature] nvarchar(200) NOT NULL,
                    [KeyId] nvarchar(32) NOT NULL,
                    CONSTRAINT [PK_AuditChainCheckpoints] PRIMARY KEY ([Chain], [Sequence])
                ) WITH (LEDGER = ON (APPEND_ONLY = ON));
                """);

            migrationBuilder.Sql(
                """
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
                """);

            migrationBuilder.CreateIndex(
                name: "IX_AuditChainRecords_TenantId_Action_Sequence",
                table: "AuditChainRecords",
                columns: new[] { "TenantId", "Action", "Sequence" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditChainRecords_TenantId_OccurredAt",
                table: "AuditChainRecords",
                columns: new[] { "TenantId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditChainRecords_TenantId_Sequence",
                table: "AuditChainRecords",
                columns: new[] { "TenantId", "Sequence" });

            migrationBuilder.Sql($"INSERT INTO [AuditChainRecords] ([Chain], {Records}) SELECT N'legacy', {Records} FROM [AuditRecords];");
            migrationBuilder.Sql($"INSERT INTO [AuditChainCheckpoints] ([Chain], {Checkpoints}) SELECT N'legacy', {Checkpoints} FROM [AuditCheckpoints];");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Append-only ledger tables can be dropped (the engine keeps them as dropped ledger tables), not emptied.
            migrationBuilder.DropTable(name: "AuditChainCheckpoints");
            migrationBuilder.DropTable(name: "AuditChainRecords");
        }
    }
}
