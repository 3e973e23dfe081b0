using System.Diagnostics;

namespace Portal.Runtimes.Local;

/// <summary>The operating-system side of a local replica: start its process with the plan's environment, tell whether it still runs, kill it.</summary>
internal static class ReplicaProcess
{
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Starts the plan's command with stdout and stderr appended to <paramref name="logPath"/>. The process inherits the
    /// portal's environment (so also <c>PORTAL_SIMULATOR_EXIT_WITH_PID</c>, which tells a simulator whose exit to follow)
    /// minus the plan's unset variables, plus the command's variables and the plan's secrets.
    /// </summary>
    public static Process Start(LocalLaunchPlan plan, string logPath, string workingDirectory)
    {
        var command = plan.Command;
        var start = new ProcessStartInfo { UseShellExecute = false, WorkingDirectory = workingDirectory };
        if (OperatingSystem.IsWindows())
        {
            // Without a shell the portal pumps the output itself; such a replica ends with the portal.
            start.FileName = command.Executable;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
        }
        else
        {
            // The shell redirects and then execs, so the pid is the engine's own and no pipe ties it to the portal:
            // the replica survives a portal restart and is adopted through its state file.
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PORTAL_REPLICA_LOG\" 2>&1 </dev/null");
            start.ArgumentList.Add(command.Executable);
            start.Environment["PORTAL_REPLICA_LOG"] = logPath;
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        foreach (var name in plan.Unset)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in plan.Secrets)
        {
            start.Environment[name] = value;
        }

        // The log exists from the start, empty until the engine writes: a replica just started has no lines yet rather
        // than no log (the shell's redirection would create the file only once the process runs).
        using (new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite))
        {
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command.Executable}.");
        if (OperatingSystem.IsWindows())
        {
            var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
            process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
            process.Exited += (_, _) => log.Dispose();
            process.EnableRaisingEvents = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    /// <summary>Alive and the same process: a recycled pid has another start time.</summary>
    public static bool IsRunning(ReplicaRecord record)
    {
        try
        {
            using var process = Process.GetProcessById(record.ProcessId);
            return !process.HasExited
                && (process.StartTime.ToUniversalTime() - record.ProcessStartedAt).Duration() < TimeSpan.FromSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Kills the recorded process and everything it started, and waits (up to 15 s) for it to exit.</summary>
    public static async Task KillAsync(ReplicaRecord record, CancellationToken cancellationToken)
    {
        if (!IsRunning(record))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(record.ProcessId);
            process.Kill(entireProcessTree: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_stopTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process exited while its last lines were in flight.
            }
        }
    }
}
