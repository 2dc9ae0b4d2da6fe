using Microsoft.Extensions.Options;

namespace EvoCode.Api.Security;

/// <summary>Runs the server; a configuration that fails validation on start ends it with its reasons and status 1, not a crash.</summary>
internal static class StartupCheck
{
    public static int RunOrExplain(this WebApplication app)
    {
        try
        {
            app.Run();
            return 0;
        }
        catch (OptionsValidationException e)
        {
            // Only the messages: they name the setting, never its value (a pasted key stays out of the logs).
            Console.Error.WriteLine($"EvoCode cannot start: the configuration is not valid ({e.OptionsType.Name}).");
            foreach (var failure in e.Failures)
            {
                Console.Error.WriteLine($"  {failure}");
            }

            return 1;
        }
    }
}
