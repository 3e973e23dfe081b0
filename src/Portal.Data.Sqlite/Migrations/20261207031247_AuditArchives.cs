using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <summary>
    /// The retention archive's register, append-only like the trail; and the records' delete trigger now lets a
    /// record go when — and only when — a registered archive file (with its hash) covers its chain and sequence.
    /// </summary>
    public partial class AuditArchives : Migration
    {
        private const string RefuseDelete =
            "CREATE TRIGGER \"AuditChainRecords_NoDelete\" BEFORE DELETE ON \"AuditChainRecords\" BEGIN SELECT RAISE(ABORT, 'AuditChainRecords is append-only: DELETE refused'); END;";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditArchives",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Chain = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FirstSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastSequence = table.Column<long>(type: "INTEGER", nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    RecordCount = table.Column<long>(type: "INTEGER", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FileSha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    PeriodFrom = table.Column<long>(type: "INTEGER", nullable: false),
                    PeriodTo = table.Column<long>(type: "INTEGER", nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditArchives", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchives_Chain_LastSequence",
                table: "AuditArchives",
                columns: new[] { "Chain", "LastSequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchives_TenantId",
                table: "AuditArchives",
                column: "TenantId");

            migrationBuilder.Sql("CREATE TRIGGER \"AuditArchives_NoUpdate\" BEFORE UPDATE ON \"AuditArchives\" BEGIN SELECT RAISE(ABORT, 'AuditArchives is append-only: UPDATE refused'); END;");
            migrationBuilder.Sql("CREATE TRIGGER \"AuditArchives_NoDelete\" BEFORE DELETE ON \"AuditArchives\" BEGIN SELECT RAISE(ABORT, 'AuditArchives is append-only: DELETE refused'); END;");
            migrationBuilder.Sql("DROP TRIGGER \"AuditChainRecords_NoDelete\";");
            migrationBuilder.Sql(
                """
                CREATE TRIGGER "AuditChainRecords_NoDelete" BEFORE DELETE ON "AuditChainRecords"
                WHEN NOT EXISTS (
                    SELECT 1 FROM "AuditArchives" AS a
                    WHERE a."Chain" = OLD."Chain" AND OLD."Sequence" BETWEEN a."FirstSequence" AND a."LastSequence"
                      AND length(a."FileSha256") = 64)
                BEGIN SELECT RAISE(ABORT, 'AuditChainRecords is append-only: DELETE refused (not in an archived range)'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER \"AuditChainRecords_NoDelete\";");
            migrationBuilder.Sql(RefuseDelete);
            migrationBuilder.DropTable(
                name: "AuditArchives");
        }
    }
}
