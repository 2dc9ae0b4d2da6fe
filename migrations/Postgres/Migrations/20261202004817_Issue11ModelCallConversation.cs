using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Issue11ModelCallConversation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "prompt",
                schema: "evocode",
                table: "model_calls",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "proposal_id",
                schema: "evocode",
                table: "model_calls",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rejection",
                schema: "evocode",
                table: "model_calls",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reply",
                schema: "evocode",
                table: "model_calls",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "usage_estimated",
                schema: "evocode",
                table: "model_calls",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_candidate_id",
                schema: "evocode",
                table: "model_calls",
                column: "candidate_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_proposal_id",
                schema: "evocode",
                table: "model_calls",
                column: "proposal_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_model_calls_candidate_id",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropIndex(
                name: "ix_model_calls_proposal_id",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "prompt",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "proposal_id",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "rejection",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "reply",
                schema: "evocode",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "usage_estimated",
                schema: "evocode",
                table: "model_calls");
        }
    }
}
