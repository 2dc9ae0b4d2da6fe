[assembly: AssemblyFixture(typeof(EvoCode.Dashboard.Tests.Hosting.DashboardServer))]
[assembly: AssemblyFixture(typeof(EvoCode.Dashboard.Tests.Browser.Chromium))]
