using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ElasticBurst : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AutoscaleSettings",
                columns: table => new
                {
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TargetInFlightPerReplica = table.Column<double>(type: "REAL", nullable: false),
                    ScaleOutAfterSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ScaleInAfterSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    QuietBelowFraction = table.Column<double>(type: "REAL", nullable: false),
                    CooldownSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    DrainTimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    HighSince = table.Column<long>(type: "INTEGER", nullable: true),
                    QuietSince = table.Column<long>(type: "INTEGER", nullable: true),
                    LastChangeAt = table.Column<long>(type: "INTEGER", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AutoscaleSettings", x => x.DeploymentId);
                    table.ForeignKey(
                        name: "FK_AutoscaleSettings_Deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalTable: "Deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScaleEvents",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    DeploymentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    FromReplicas = table.Column<int>(type: "INTEGER", nullable: false),
                    ToReplicas = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    LoadPerReplica = table.Column<double>(type: "REAL", nullable: true),
                    PolicyJson = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScaleEvents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ScaleEvents_Deployments_DeploymentId",
                        column: x => x.DeploymentId,
                        principalTable: "Deployments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AutoscaleSettings_TenantId",
                table: "AutoscaleSettings",
                column: "TenantId");

            migrationBuilder.CreateIndex(
                name: "IX_ScaleEvents_DeploymentId_Id",
                table: "ScaleEvents",
                columns: new[] { "DeploymentId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ScaleEvents_TenantId",
                table: "ScaleEvents",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AutoscaleSettings");

            migrationBuilder.DropTable(
                name: "ScaleEvents");
        }
    }
}
