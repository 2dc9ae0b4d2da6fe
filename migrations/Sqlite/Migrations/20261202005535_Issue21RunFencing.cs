using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue21RunFencing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "owner_epoch",
                table: "runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "engine_instances",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    seen_at = table.Column<long>(type: "INTEGER", nullable: false),
                    max_active_runs = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_engine_instances", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "engine_instances");

            migrationBuilder.DropColumn(
                name: "owner_epoch",
                table: "runs");
        }
    }
}
