using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Observability : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "MinuteRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    MinuteStart = table.Column<long>(type: "bigint", nullable: false),
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
                    table.PrimaryKey("PK_MinuteRollups", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_MinuteRollups_EndpointId_MinuteStart_TargetId_Region_Tier_Traffic",
                table: "MinuteRollups",
                columns: new[] { "EndpointId", "MinuteStart", "TargetId", "Region", "Tier", "Traffic" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MinuteRollups_TenantId_MinuteStart",
                table: "MinuteRollups",
                columns: new[] { "TenantId", "MinuteStart" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MinuteRollups");
        }
    }
}
