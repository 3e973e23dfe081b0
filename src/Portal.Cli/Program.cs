using Portal.Cli;

return await PortalCommandLine.RunAsync(args, Console.Out, Console.Error);
