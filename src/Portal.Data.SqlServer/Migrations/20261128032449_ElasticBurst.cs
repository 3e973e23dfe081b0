using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
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
                    DeploymentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TargetInFlightPerReplica = table.Column<double>(type: "float", nullable: false),
                    ScaleOutAfterSeconds = table.Column<int>(type: "int", nullable: false),
                    ScaleInAfterSeconds = table.Column<int>(type: "int", nullable: false),
                    QuietBelowFraction = table.Column<double>(type: "float", nullable: false),
                    CooldownSeconds = table.Column<int>(type: "int", nullable: false),
                    DrainTimeoutSeconds = table.Column<int>(type: "int", nullable: false),
                    HighSince = table.Column<long>(type: "bigint", nullable: true),
                    QuietSince = table.Column<long>(type: "bigint", nullable: true),
                    LastChangeAt = table.Column<long>(type: "bigint", nullable: true),
                    UpdatedAt = table.Column<long>(type: "bigint", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DeploymentId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    At = table.Column<long>(type: "bigint", nullable: false),
                    FromReplicas = table.Column<int>(type: "int", nullable: false),
                    ToReplicas = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    LoadPerReplica = table.Column<double>(type: "float", nullable: true),
                    PolicyJson = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false)
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
