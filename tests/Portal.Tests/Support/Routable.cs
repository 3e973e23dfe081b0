namespace Portal.Tests.Support;

/// <summary>The gateway's routing snapshot picks a new endpoint up within seconds.</summary>
internal static class Routable
{
    /// <summary>Sends <paramref name="request"/> until it is answered 200 (up to ~10 s); that answered request counts as sent.</summary>
    public static async Task WaitAsync(HttpClient openAi, Func<HttpRequestMessage> request, string model)
    {
        for (var i = 0; i < 50; i++)
        {
            using var message = request();
            using var response = await openAi.SendAsync(message);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                await response.Content.ReadAsStringAsync();
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{model} never became routable.");
    }
}
