using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
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
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    EndpointId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Month = table.Column<string>(type: "nvarchar(7)", maxLength: 7, nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: false),
                    EndedAt = table.Column<long>(type: "bigint", nullable: true),
                    UsedMinutes = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false),
                    AllowedMinutes = table.Column<decimal>(type: "decimal(18,4)", precision: 18, scale: 4, nullable: false)
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
