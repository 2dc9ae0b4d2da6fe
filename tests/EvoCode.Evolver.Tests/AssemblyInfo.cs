[assembly: AssemblyFixture(typeof(EvoCode.Testing.StoreFixture))]
