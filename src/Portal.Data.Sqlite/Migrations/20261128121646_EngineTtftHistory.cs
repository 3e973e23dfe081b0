using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
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
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ScrapedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Histogram = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServerTtftBaselines", x => new { x.TargetId, x.Source });
                });

            migrationBuilder.CreateTable(
                name: "ServerTtftPoints",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<double>(type: "REAL", nullable: false),
                    SumSeconds = table.Column<double>(type: "REAL", nullable: false),
                    Histogram = table.Column<byte[]>(type: "BLOB", nullable: false)
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
