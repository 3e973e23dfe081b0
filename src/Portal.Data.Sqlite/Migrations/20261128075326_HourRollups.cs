using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HourRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HourRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HourStart = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Region = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Traffic = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Requests = table.Column<long>(type: "INTEGER", nullable: false),
                    Errors = table.Column<long>(type: "INTEGER", nullable: false),
                    ColdStarts = table.Column<long>(type: "INTEGER", nullable: false),
                    PromptTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    CompletionTokens = table.Column<long>(type: "INTEGER", nullable: false),
                    MaxColdStartTtftMs = table.Column<double>(type: "REAL", nullable: true),
                    Histogram = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HourRollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_HourRollups_EndpointId_HourStart_TargetId_Region_Tier_Traffic",
                table: "HourRollups",
                columns: new[] { "EndpointId", "HourStart", "TargetId", "Region", "Tier", "Traffic" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HourRollups_TenantId_HourStart",
                table: "HourRollups",
                columns: new[] { "TenantId", "HourStart" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HourRollups");
        }
    }
}
