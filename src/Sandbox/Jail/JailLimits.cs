namespace EvoCode.Sandbox.Jail;

/// <summary>The rlimits applied to one jailed process tree.</summary>
/// <param name="Processes">RLIMIT_NPROC (only applied with a dedicated user id, where it counts that user's tasks alone).</param>
/// <param name="OpenFiles">RLIMIT_NOFILE.</param>
/// <param name="FileBytes">RLIMIT_FSIZE.</param>
/// <param name="CpuSeconds">RLIMIT_CPU.</param>
/// <param name="AddressSpaceBytes">RLIMIT_AS, or null to leave it unset.</param>
internal sealed record JailLimits(int Processes, int OpenFiles, long FileBytes, long CpuSeconds, long? AddressSpaceBytes);
