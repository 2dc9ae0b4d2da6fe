using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EvoCode.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ProblemLanguage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "language",
                table: "problems",
                type: "TEXT",
                maxLength: 40,
                nullable: false,
                defaultValue: "csharp");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "language",
                table: "problems");
        }
    }
}
