namespace EvoCode.Sandbox.Jail;

/// <summary>Unix permission bits the jail needs on files it prepares for sandboxed users.</summary>
internal static class FileModes
{
    public const UnixFileMode PublicDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode SharedDirectory = PublicDirectory | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    public const UnixFileMode SharedFile = PublicFile | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>Sets the mode; the sandbox is Linux-only, and elsewhere there is nothing to set.</summary>
    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
