using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Issue21RunFencing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "owner_epoch",
                schema: "evocode",
                table: "runs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "engine_instances",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    seen_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    max_active_runs = table.Column<int>(type: "integer", nullable: false)
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
                name: "engine_instances",
                schema: "evocode");

            migrationBuilder.DropColumn(
                name: "owner_epoch",
                schema: "evocode",
                table: "runs");
        }
    }
}
