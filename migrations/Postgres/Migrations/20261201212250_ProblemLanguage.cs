using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProblemLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "language",
                schema: "evocode",
                table: "problems",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "csharp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                schema: "evocode",
                table: "problems");
        }
    }
}
