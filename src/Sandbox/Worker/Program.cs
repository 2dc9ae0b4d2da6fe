// The sandbox worker: replaced by the sandbox implementation (issue 3).
return 0;
