using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Keys;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Inference;

/// <summary>
/// /v1 authenticates inference keys itself and never passes through the portal's cookie and OAuth handlers: a bearer
/// token sent to /v1 is never looked up as an OAuth token, so no caller can make the portal query its token store there.
/// </summary>
public sealed class DataPlaneAuthenticationTests
{
    [Fact]
    public async Task BearerTokensOnV1_AreNeverLookedUpInTheOAuthTokenStore_WhileTheManagementApiStillChecksThem()
    {
        var tokenLookups = new TokenStoreQueries();
        await using var app = new PortalApp().WithServices(s => s.ConfigureDbContext<PortalDbContext>(o => o.AddInterceptors(tokenLookups)));
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.NewClient();
        var madeUp = InferenceKey.Generate().Plaintext;

        // The management API takes bearer tokens: an unknown one is looked up (a reference token is possible) and refused.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetWithTokenAsync("api/v1/me", madeUp)).StatusCode);
        Assert.True(tokenLookups.Count > 0, "the observer sees the management API's token look-up");

        var before = tokenLookups.Count;
        for (var i = 0; i < 5; i++)
        {
            var chat = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = "any", messages = new[] { new { role = "user", content = "hi" } } }),
            }.WithBearer(i % 2 == 0 ? madeUp : "not-an-inference-key");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(chat)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetWithTokenAsync("v1/models", madeUp)).StatusCode);
        }

        Assert.Equal(before, tokenLookups.Count);
        await ((IAsyncLifetime)app).DisposeAsync();
    }

    /// <summary>Counts this portal's queries of OpenIddict's token table.</summary>
    private sealed class TokenStoreQueries : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Observe(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Observe(command);
            return ValueTask.FromResult(result);
        }

        private void Observe(DbCommand command)
        {
            if (command.CommandText.Contains("OpenIddictTokens", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
