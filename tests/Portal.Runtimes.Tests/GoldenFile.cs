using System.Runtime.CompilerServices;

namespace Portal.Runtimes.Tests;

/// <summary>
/// Compares text with a checked-in file under Golden/. To accept a deliberate change, run
/// <c>PORTAL_UPDATE_GOLDEN=1 dotnet test tests/Portal.Runtimes.Tests</c> and review the diff before committing.
/// </summary>
internal static class GoldenFile
{
    public static void AssertMatches(string fileName, string actual, [CallerFilePath] string callerPath = "")
    {
        var directory = FindGoldenDirectory(Path.GetDirectoryName(callerPath)!);
        var path = Path.Combine(directory, fileName);
        actual = actual.ReplaceLineEndings("\n");
        if (!actual.EndsWith('\n'))
        {
            actual += "\n";
        }

        if (Environment.GetEnvironmentVariable("PORTAL_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }

        var instructions = $"If the change is intended, regenerate with `PORTAL_UPDATE_GOLDEN=1 dotnet test tests/Portal.Runtimes.Tests` "
            + $"and review the diff of Golden/{fileName}.";
        Assert.True(File.Exists(path), $"Golden file {path} is missing. {instructions}");
        var expected = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(expected == actual, $"The output differs from Golden/{fileName}. {instructions}\n--- expected\n{expected}\n--- actual\n{actual}");
    }

    private static string FindGoldenDirectory(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var golden = Path.Combine(directory.FullName, "Golden");
            if (Directory.Exists(golden) && File.Exists(Path.Combine(directory.FullName, "Portal.Runtimes.Tests.csproj")))
            {
                return golden;
            }
        }

        throw new DirectoryNotFoundException($"No Golden directory above {start}.");
    }
}
