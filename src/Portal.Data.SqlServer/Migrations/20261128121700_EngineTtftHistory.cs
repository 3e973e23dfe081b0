using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class EngineTtftHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ServerTtftBaselines",
                columns: table => new
                {
                    TargetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Source = table.Column<string>(type: "nvarchar(80)", maxLength: 80, nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ScrapedAt = table.Column<long>(type: "bigint", nullable: false),
                    Histogram = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerTtftBaselines", x => new { x.TargetId, x.Source });
                });

            migrationBuilder.CreateTable(
                name: "ServerTtftPoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TargetId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<double>(type: "float", nullable: false),
                    SumSeconds = table.Column<double>(type: "float", nullable: false),
                    Histogram = table.Column<byte[]>(type: "varbinary(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerTtftPoints", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServerTtftBaselines_ScrapedAt",
                table: "ServerTtftBaselines",
                column: "ScrapedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ServerTtftPoints_At",
                table: "ServerTtftPoints",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_ServerTtftPoints_TenantId_TargetId_At",
                table: "ServerTtftPoints",
                columns: new[] { "TenantId", "TargetId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServerTtftBaselines");

            migrationBuilder.DropTable(
                name: "ServerTtftPoints");
        }
    }
}
