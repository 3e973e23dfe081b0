using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Portal.Data.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class TargetProbeSettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "IdleGapSeconds",
                table: "Targets",
                type: "float",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TtftProbeOptIn",
                table: "Targets",
                type: "bit",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IdleGapSeconds",
                table: "Targets");

            migrationBuilder.DropColumn(
                name: "TtftProbeOptIn",
                table: "Targets");
        }
    }
}
