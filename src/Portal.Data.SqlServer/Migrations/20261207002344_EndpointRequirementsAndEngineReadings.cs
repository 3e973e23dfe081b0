using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
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
                type: "int",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequiredQuantization",
                table: "Endpoints",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RequiredResidency",
                table: "Endpoints",
                type: "nvarchar(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequiresCustomWeights",
                table: "Endpoints",
                type: "bit",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "EngineReadings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TargetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    GenerationTokens = table.Column<double>(type: "float", nullable: false),
                    Waiting = table.Column<double>(type: "float", nullable: false)
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
