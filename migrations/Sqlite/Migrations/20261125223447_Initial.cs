using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "problems",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: false),
                    seed_source = table.Column<string>(type: "TEXT", nullable: false),
                    evaluator_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    evaluator_parameters = table.Column<string>(type: "TEXT", nullable: false),
                    feature_dimensions = table.Column<string>(type: "TEXT", nullable: false),
                    default_settings = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_problems", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    problem_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    settings = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    status_reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    proposals = table.Column<long>(type: "INTEGER", nullable: false),
                    evaluations = table.Column<long>(type: "INTEGER", nullable: false),
                    improvements = table.Column<long>(type: "INTEGER", nullable: false),
                    rejections = table.Column<long>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost = table.Column<double>(type: "REAL", precision: 20, scale: 10, nullable: false),
                    best_score = table.Column<double>(type: "REAL", nullable: true),
                    best_candidate_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    next_sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    random_state = table.Column<string>(type: "TEXT", nullable: true),
                    ensemble_state = table.Column<string>(type: "TEXT", nullable: true),
                    statistics = table.Column<string>(type: "TEXT", nullable: false),
                    meta_summary = table.Column<string>(type: "TEXT", nullable: true),
                    active_seconds = table.Column<double>(type: "REAL", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    owner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_problems_problem_id",
                        column: x => x.problem_id,
                        principalTable: "problems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "candidates",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    island = table.Column<int>(type: "INTEGER", nullable: false),
                    generation = table.Column<int>(type: "INTEGER", nullable: false),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    @operator = table.Column<string>(name: "operator", type: "TEXT", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    source = table.Column<string>(type: "TEXT", nullable: false),
                    code_hash = table.Column<string>(type: "TEXT", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    correct = table.Column<bool>(type: "INTEGER", nullable: true),
                    score = table.Column<double>(type: "REAL", nullable: true),
                    metrics = table.Column<string>(type: "TEXT", nullable: false),
                    features = table.Column<string>(type: "TEXT", nullable: false),
                    cell_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    became_elite = table.Column<bool>(type: "INTEGER", nullable: false),
                    artifacts = table.Column<string>(type: "TEXT", nullable: false),
                    prompt = table.Column<string>(type: "TEXT", nullable: true),
                    reply = table.Column<string>(type: "TEXT", nullable: true),
                    input_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    output_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    cost = table.Column<double>(type: "REAL", precision: 20, scale: 10, nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    timings = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    evaluated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_candidates", x => x.id);
                    table.ForeignKey(
                        name: "fk_candidates_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_calls",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    candidate_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    provider = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "TEXT", maxLength: 64, nullable: true),
                    input_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    output_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    cost = table.Column<double>(type: "REAL", precision: 20, scale: 10, nullable: true),
                    latency_ms = table.Column<double>(type: "REAL", nullable: false),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    edit_outcome = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_calls", x => x.id);
                    table.ForeignKey(
                        name: "fk_model_calls_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    data = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_events_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "archive_cells",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    island = table.Column<int>(type: "INTEGER", nullable: false),
                    cell_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    elite_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_cells", x => new { x.run_id, x.island, x.cell_key });
                    table.ForeignKey(
                        name: "fk_archive_cells_candidates_elite_id",
                        column: x => x.elite_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_archive_cells_runs_run_id",
                        column: x => x.run_id,
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "candidate_parents",
                columns: table => new
                {
                    candidate_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    position = table.Column<int>(type: "INTEGER", nullable: false),
                    parent_id = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_candidate_parents", x => new { x.candidate_id, x.position });
                    table.ForeignKey(
                        name: "fk_candidate_parents_candidates_candidate_id",
                        column: x => x.candidate_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_candidate_parents_candidates_parent_id",
                        column: x => x.parent_id,
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_archive_cells_elite_id",
                table: "archive_cells",
                column: "elite_id");

            migrationBuilder.CreateIndex(
                name: "ix_archive_cells_run_id_island_score",
                table: "archive_cells",
                columns: new[] { "run_id", "island", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidate_parents_parent_id",
                table: "candidate_parents",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_candidates_parent_id",
                table: "candidates",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_code_hash",
                table: "candidates",
                columns: new[] { "run_id", "code_hash" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_island_score",
                table: "candidates",
                columns: new[] { "run_id", "island", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_score",
                table: "candidates",
                columns: new[] { "run_id", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_sequence",
                table: "candidates",
                columns: new[] { "run_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_state",
                table: "candidates",
                columns: new[] { "run_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_run_id_model",
                table: "model_calls",
                columns: new[] { "run_id", "model" });

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_run_id_started_at",
                table: "model_calls",
                columns: new[] { "run_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_problems_created_at",
                table: "problems",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_problems_name",
                table: "problems",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_events_run_id_id",
                table: "run_events",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_created_at",
                table: "runs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_runs_problem_id",
                table: "runs",
                column: "problem_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_status",
                table: "runs",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_cells");

            migrationBuilder.DropTable(
                name: "candidate_parents");

            migrationBuilder.DropTable(
                name: "model_calls");

            migrationBuilder.DropTable(
                name: "run_events");

            migrationBuilder.DropTable(
                name: "candidates");

            migrationBuilder.DropTable(
                name: "runs");

            migrationBuilder.DropTable(
                name: "problems");
        }
    }
}
