using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    HourStart = table.Column<long>(type: "bigint", nullable: false),
                    EndpointId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TargetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Region = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Tier = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Traffic = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Requests = table.Column<long>(type: "bigint", nullable: false),
                    Errors = table.Column<long>(type: "bigint", nullable: false),
                    ColdStarts = table.Column<long>(type: "bigint", nullable: false),
                    PromptTokens = table.Column<long>(type: "bigint", nullable: false),
                    CompletionTokens = table.Column<long>(type: "bigint", nullable: false),
                    MaxColdStartTtftMs = table.Column<double>(type: "float", nullable: true),
                    Histogram = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
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
