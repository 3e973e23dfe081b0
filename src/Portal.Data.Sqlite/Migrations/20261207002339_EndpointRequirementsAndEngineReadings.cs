using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EndpointRequirementsAndEngineReadings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ConcurrencyFloor",
                table: "Endpoints",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequiredQuantization",
                table: "Endpoints",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequiredResidency",
                table: "Endpoints",
                type: "TEXT",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequiresCustomWeights",
                table: "Endpoints",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "EngineReadings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    GenerationTokens = table.Column<double>(type: "REAL", nullable: false),
                    Waiting = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EngineReadings", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EngineReadings_At",
                table: "EngineReadings",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_EngineReadings_TenantId_TargetId_At",
                table: "EngineReadings",
                columns: new[] { "TenantId", "TargetId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EngineReadings");

            migrationBuilder.DropColumn(
                name: "ConcurrencyFloor",
                table: "Endpoints");

            migrationBuilder.DropColumn(
                name: "RequiredQuantization",
                table: "Endpoints");

            migrationBuilder.DropColumn(
                name: "RequiredResidency",
                table: "Endpoints");

            migrationBuilder.DropColumn(
                name: "RequiresCustomWeights",
                table: "Endpoints");
        }
    }
}
