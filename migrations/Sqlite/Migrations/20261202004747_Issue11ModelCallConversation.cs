using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Issue11ModelCallConversation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "prompt",
                table: "model_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "proposal_id",
                table: "model_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rejection",
                table: "model_calls",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reply",
                table: "model_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "usage_estimated",
                table: "model_calls",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_candidate_id",
                table: "model_calls",
                column: "candidate_id");

            migrationBuilder.CreateIndex(
                name: "ix_model_calls_proposal_id",
                table: "model_calls",
                column: "proposal_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_model_calls_candidate_id",
                table: "model_calls");

            migrationBuilder.DropIndex(
                name: "ix_model_calls_proposal_id",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "prompt",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "proposal_id",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "rejection",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "reply",
                table: "model_calls");

            migrationBuilder.DropColumn(
                name: "usage_estimated",
                table: "model_calls");
        }
    }
}
