using EvoCode.Sandbox.Worker;

// The sandbox worker: compiles and runs candidates for the pool in EvoCode.Sandbox, one request at a time,
// over length-prefixed frames on stdin/stdout. It holds no secrets and trusts nothing it is sent.
return await WorkerLoop.RunAsync();
