using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <summary>
    /// One chain per tenant (and one for the platform): records and checkpoints move to tables keyed by
    /// (chain, sequence). The records sealed so far are copied there, unchanged, as the frozen legacy chain; their
    /// original tables stay, with their append-only triggers, and are never written again.
    /// </summary>
    public partial class AuditChainsPerTenant : Migration
    {
        private const string Records = "\"Sequence\", \"OccurredAt\", \"TenantId\", \"ActorId\", \"ActorName\", \"ActorRoles\", \"ActorIp\", \"Action\", "
            + "\"ResourceType\", \"ResourceId\", \"Outcome\", \"Reason\", \"Details\", \"CorrelationId\", \"PreviousHash\", \"Hash\"";

        private const string Checkpoints = "\"Sequence\", \"Hash\", \"SignedAt\", \"Signature\", \"KeyId\"";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditChainCheckpoints",
                columns: table => new
                {
                    Chain = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    SignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainCheckpoints", x => new { x.Chain, x.Sequence });
                });

            migrationBuilder.CreateTable(
                name: "AuditChainRecords",
                columns: table => new
                {
                    Chain = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActorId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ActorName = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ActorRoles = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ActorIp = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ResourceType = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ResourceId = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Details = table.Column<string>(type: "TEXT", nullable: true),
                    CorrelationId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainRecords", x => new { x.Chain, x.Sequence });
                });

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

            migrationBuilder.Sql($"INSERT INTO \"AuditChainRecords\" (\"Chain\", {Records}) SELECT 'legacy', {Records} FROM \"AuditRecords\";");
            migrationBuilder.Sql($"INSERT INTO \"AuditChainCheckpoints\" (\"Chain\", {Checkpoints}) SELECT 'legacy', {Checkpoints} FROM \"AuditCheckpoints\";");

            // The chain tables are append-only: the database refuses UPDATE and DELETE while these triggers exist.
            foreach (var table in new[] { "AuditChainRecords", "AuditChainCheckpoints" })
            {
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_NoUpdate\" BEFORE UPDATE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;");
                migrationBuilder.Sql($"CREATE TRIGGER \"{table}_NoDelete\" BEFORE DELETE ON \"{table}\" BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The legacy tables were never written after the copy, so they still hold every record sealed before.
            migrationBuilder.DropTable(name: "AuditChainCheckpoints");
            migrationBuilder.DropTable(name: "AuditChainRecords");
        }
    }
}
