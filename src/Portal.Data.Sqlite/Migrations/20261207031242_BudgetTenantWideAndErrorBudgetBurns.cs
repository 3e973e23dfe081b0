using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BudgetTenantWideAndErrorBudgetBurns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ErrorBudgetBurns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EndpointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<string>(type: "TEXT", maxLength: 7, nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UsedMinutes = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false),
                    AllowedMinutes = table.Column<decimal>(type: "TEXT", precision: 18, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ErrorBudgetBurns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ErrorBudgetBurns_Endpoints_EndpointId",
                        column: x => x.EndpointId,
                        principalTable: "Endpoints",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Two simultaneous first saves may have left a second tenant-wide budget: keep the last one saved.
            migrationBuilder.Sql("""
                DELETE FROM "BudgetAlerts" WHERE "BudgetId" IN (SELECT "Id" FROM "Budgets" WHERE "EndpointId" IS NULL
                    AND rowid NOT IN (SELECT MAX(rowid) FROM "Budgets" WHERE "EndpointId" IS NULL GROUP BY "TenantId"));
                DELETE FROM "Budgets" WHERE "EndpointId" IS NULL
                    AND rowid NOT IN (SELECT MAX(rowid) FROM "Budgets" WHERE "EndpointId" IS NULL GROUP BY "TenantId");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Budgets_TenantId_TenantWide",
                table: "Budgets",
                column: "TenantId",
                unique: true,
                filter: "EndpointId IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ErrorBudgetBurns_EndpointId_Open",
                table: "ErrorBudgetBurns",
                column: "EndpointId",
                unique: true,
                filter: "EndedAt IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ErrorBudgetBurns_TenantId",
                table: "ErrorBudgetBurns",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ErrorBudgetBurns");

            migrationBuilder.DropIndex(
                name: "IX_Budgets_TenantId_TenantWide",
                table: "Budgets");
        }
    }
}
