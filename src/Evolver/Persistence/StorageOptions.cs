using System.ComponentModel.DataAnnotations;

namespace EvoCode.Evolver.Persistence;

/// <summary>Where runs are stored. PostgreSQL when <c>ConnectionStrings:Postgres</c> is set, else an SQLite file.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for the SQLite database; relative paths resolve against the content root (the server's own folder), not the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite file name inside <see cref="DataDirectory"/>.</summary>
    [Required]
    public string SqliteFileName { get; set; } = "evocode.db";

    /// <summary>Apply pending migrations when the server starts.</summary>
    public bool MigrateOnStart { get; set; } = true;
}
