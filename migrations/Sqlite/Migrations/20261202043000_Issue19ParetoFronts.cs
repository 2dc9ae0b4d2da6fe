using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue19ParetoFronts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "front_members",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    candidate_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    island = table.Column<int>(type: "INTEGER", nullable: false),
                    cell_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_front_members", x => new { x.run_id, x.candidate_id });
                    table.ForeignKey(
                        name: "fk_front_members_candidates_candidate_id",
                        column: x => x.candidate_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_front_members_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_front_members_candidate_id",
                table: "front_members",
                column: "candidate_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "front_members");
        }
    }
}
