using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue17RunSeries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "run_series",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    evaluation = table.Column<long>(type: "INTEGER", nullable: false),
                    candidate_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    evaluated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: true),
                    correct = table.Column<bool>(type: "INTEGER", nullable: false),
                    island = table.Column<int>(type: "INTEGER", nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "TEXT", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    metrics = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_series", x => new { x.run_id, x.evaluation });
                    table.ForeignKey(
                        name: "fk_run_series_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Runs stored before the series existed: their evaluations as the engine counted them (seed copies and
            // migrants share another program's evaluation), in the order they were evaluated.
            migrationBuilder.Sql("""
                INSERT INTO run_series (run_id, evaluation, candidate_id, sequence, evaluated_at, score, correct, island, operator, model, metrics)
                SELECT run_id, ROW_NUMBER() OVER (PARTITION BY run_id ORDER BY evaluated_at, sequence), id, sequence,
                       COALESCE(evaluated_at, created_at), score, COALESCE(correct, 0), island, operator, model, metrics
                FROM candidates
                WHERE state = 'Evaluated' AND operator <> 'migration' AND NOT (operator = 'seed' AND parent_id IS NOT NULL);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "run_series");
        }
    }
}
