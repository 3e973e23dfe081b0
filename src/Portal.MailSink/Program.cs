using Portal.MailSink;

MailSinkOptions options;
try
{
    options = MailSinkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(MailSinkOptions.Usage);
    return 2;
}

Directory.CreateDirectory(options.Folder);
using var stop = new CancellationTokenSource();
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
if (options.ExitWithPid is { } owner)
{
    _ = new OwnerWatch(owner).StopWhenGoneAsync(stop);
}

var smtp = await SmtpSink.StartAsync(options, stop.Token);
Console.WriteLine($"{MailSinkOptions.SmtpLinePrefix}127.0.0.1:{smtp.Port}");
Console.WriteLine($"Messages stored in {Path.GetFullPath(options.Folder)}");

await using var listing = options.HttpPort is { } httpPort ? await MailListing.StartAsync(options.Folder, httpPort, stop.Token) : null;
if (listing is not null)
{
    Console.WriteLine($"{MailSinkOptions.HttpLinePrefix}{listing.Address}");
}

try
{
    await smtp.Completion;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}

return 0;

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
