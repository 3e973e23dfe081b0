using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <summary>The retention archive's register, an append-only ledger table like the trail.</summary>
    public partial class AuditArchives : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Append-only ledger table, like the trail (hand-written: EF cannot declare one). The records themselves stay
            // in their append-only ledger table after they are archived: docs/audit.md says why.
            migrationBuilder.Sql(
                """
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
                """);

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchives_Chain_LastSequence",
                table: "AuditArchives",
                columns: new[] { "Chain", "LastSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchives_TenantId",
                table: "AuditArchives",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditArchives");
        }
    }
}
