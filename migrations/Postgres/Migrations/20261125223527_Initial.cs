using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EvoCode.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "evocode");

            migrationBuilder.CreateTable(
                name: "problems",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    description = table.Column<string>(type: "text", nullable: false),
                    seed_source = table.Column<string>(type: "text", nullable: false),
                    evaluator_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    evaluator_parameters = table.Column<string>(type: "jsonb", nullable: false),
                    feature_dimensions = table.Column<string>(type: "jsonb", nullable: false),
                    default_settings = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_problems", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "runs",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    problem_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    settings = table.Column<string>(type: "jsonb", nullable: false),
                    status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    status_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    proposals = table.Column<long>(type: "bigint", nullable: false),
                    evaluations = table.Column<long>(type: "bigint", nullable: false),
                    improvements = table.Column<long>(type: "bigint", nullable: false),
                    rejections = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost = table.Column<decimal>(type: "numeric(20,10)", precision: 20, scale: 10, nullable: false),
                    best_score = table.Column<double>(type: "double precision", nullable: true),
                    best_candidate_id = table.Column<Guid>(type: "uuid", nullable: true),
                    next_sequence = table.Column<long>(type: "bigint", nullable: false),
                    random_state = table.Column<string>(type: "text", nullable: true),
                    ensemble_state = table.Column<string>(type: "text", nullable: true),
                    statistics = table.Column<string>(type: "jsonb", nullable: false),
                    meta_summary = table.Column<string>(type: "text", nullable: true),
                    active_seconds = table.Column<double>(type: "double precision", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    lease_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_runs", x => x.id);
                    table.ForeignKey(
                        name: "fk_runs_problems_problem_id",
                        column: x => x.problem_id,
                        principalSchema: "evocode",
                        principalTable: "problems",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "candidates",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false),
                    island = table.Column<int>(type: "integer", nullable: false),
                    generation = table.Column<int>(type: "integer", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: true),
                    @operator = table.Column<string>(name: "operator", type: "character varying(64)", maxLength: 64, nullable: false),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    source = table.Column<string>(type: "text", nullable: false),
                    code_hash = table.Column<string>(type: "character(64)", unicode: false, fixedLength: true, maxLength: 64, nullable: false),
                    state = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    correct = table.Column<bool>(type: "boolean", nullable: true),
                    score = table.Column<double>(type: "double precision", nullable: true),
                    metrics = table.Column<string>(type: "jsonb", nullable: false),
                    features = table.Column<string>(type: "jsonb", nullable: false),
                    cell_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    became_elite = table.Column<bool>(type: "boolean", nullable: false),
                    artifacts = table.Column<string>(type: "jsonb", nullable: false),
                    prompt = table.Column<string>(type: "text", nullable: true),
                    reply = table.Column<string>(type: "text", nullable: true),
                    input_tokens = table.Column<int>(type: "integer", nullable: true),
                    output_tokens = table.Column<int>(type: "integer", nullable: true),
                    cost = table.Column<decimal>(type: "numeric(20,10)", precision: 20, scale: 10, nullable: true),
                    error = table.Column<string>(type: "text", nullable: true),
                    timings = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    evaluated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_candidates", x => x.id);
                    table.ForeignKey(
                        name: "fk_candidates_runs_run_id",
                        column: x => x.run_id,
                        principalSchema: "evocode",
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "model_calls",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    candidate_id = table.Column<Guid>(type: "uuid", nullable: true),
                    model = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    provider = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    @operator = table.Column<string>(name: "operator", type: "character varying(64)", maxLength: 64, nullable: true),
                    input_tokens = table.Column<int>(type: "integer", nullable: true),
                    output_tokens = table.Column<int>(type: "integer", nullable: true),
                    cost = table.Column<decimal>(type: "numeric(20,10)", precision: 20, scale: 10, nullable: true),
                    latency_ms = table.Column<double>(type: "double precision", nullable: false),
                    outcome = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    error = table.Column<string>(type: "text", nullable: true),
                    attempt = table.Column<int>(type: "integer", nullable: false),
                    edit_outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_model_calls", x => x.id);
                    table.ForeignKey(
                        name: "fk_model_calls_runs_run_id",
                        column: x => x.run_id,
                        principalSchema: "evocode",
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "run_events",
                schema: "evocode",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    data = table.Column<string>(type: "jsonb", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_run_events", x => x.id);
                    table.ForeignKey(
                        name: "fk_run_events_runs_run_id",
                        column: x => x.run_id,
                        principalSchema: "evocode",
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "archive_cells",
                schema: "evocode",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    island = table.Column<int>(type: "integer", nullable: false),
                    cell_key = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    elite_id = table.Column<Guid>(type: "uuid", nullable: false),
                    score = table.Column<double>(type: "double precision", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_cells", x => new { x.run_id, x.island, x.cell_key });
                    table.ForeignKey(
                        name: "fk_archive_cells_candidates_elite_id",
                        column: x => x.elite_id,
                        principalSchema: "evocode",
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_archive_cells_runs_run_id",
                        column: x => x.run_id,
                        principalSchema: "evocode",
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "candidate_parents",
                schema: "evocode",
                columns: table => new
                {
                    candidate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    parent_id = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_candidate_parents", x => new { x.candidate_id, x.position });
                    table.ForeignKey(
                        name: "fk_candidate_parents_candidates_candidate_id",
                        column: x => x.candidate_id,
                        principalSchema: "evocode",
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_candidate_parents_candidates_parent_id",
                        column: x => x.parent_id,
                        principalSchema: "evocode",
                        principalTable: "candidates",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_archive_cells_elite_id",
                schema: "evocode",
                table: "archive_cells",
                column: "elite_id");

            migrationBuilder.CreateIndex(
                name: "ix_archive_cells_run_id_island_score",
                schema: "evocode",
                table: "archive_cells",
                columns: new[] { "run_id", "island", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidate_parents_parent_id",
                schema: "evocode",
                table: "candidate_parents",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_candidates_parent_id",
                schema: "evocode",
                table: "candidates",
                column: "parent_id");

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_code_hash",
                schema: "evocode",
                table: "candidates",
                columns: new[] { "run_id", "code_hash" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_island_score",
                schema: "evocode",
                table: "candidates",
                columns: new[] { "run_id", "island", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_score",
                schema: "evocode",
                table: "candidates",
                columns: new[] { "run_id", "score" });

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_sequence",
                schema: "evocode",
                table: "candidates",
                columns: new[] { "run_id", "sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_candidates_run_id_state",
                schema: "evocode",
                table: "candidates",
                columns: new[] { "run_id", "state" });

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_run_id_model",
                schema: "evocode",
                table: "model_calls",
                columns: new[] { "run_id", "model" });

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_run_id_started_at",
                schema: "evocode",
                table: "model_calls",
                columns: new[] { "run_id", "started_at" });

            migrationBuilder.CreateIndex(
                name: "ix_problems_created_at",
                schema: "evocode",
                table: "problems",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_problems_name",
                schema: "evocode",
                table: "problems",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_run_events_run_id_id",
                schema: "evocode",
                table: "run_events",
                columns: new[] { "run_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_runs_created_at",
                schema: "evocode",
                table: "runs",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_runs_problem_id",
                schema: "evocode",
                table: "runs",
                column: "problem_id");

            migrationBuilder.CreateIndex(
                name: "ix_runs_status",
                schema: "evocode",
                table: "runs",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_cells",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "candidate_parents",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "model_calls",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "run_events",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "candidates",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "runs",
                schema: "evocode");

            migrationBuilder.DropTable(
                name: "problems",
                schema: "evocode");
        }
    }
}
