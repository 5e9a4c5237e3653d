using MotCua.Contracts;
using MailKit;
using MailKit.Net.Smtp;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace MotCua.Notification.Channels;

public sealed record OutgoingMessage(Guid DeliveryId, string Recipient, string RecipientMasked, string? Subject, string Body, string DossierCode);

/// <summary>
/// The provider refused this message for good (an SMTP 5xx, an SMS gateway's 4xx other than 408 and 429): sending it
/// again would be refused again, so it is recorded as failed at once with the provider's answer.
/// </summary>
public sealed class PermanentRefusal(string answer) : Exception(answer);

/// <summary>
/// The channel's circuit is open after other messages failed, and this one was not handed to the provider at all: it
/// keeps its attempts and waits <see cref="RetryAfter"/>.
/// </summary>
public sealed class ChannelResting(string channel, TimeSpan retryAfter) : Exception($"The {channel} channel is resting after failures; not tried.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A way to reach a person: an SMS gateway, a mail server, or the log.</summary>
public interface IChannel
{
    string Name { get; }

    Task SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// Every channel behind a Polly pipeline of its own: a timeout per call, a few retries with jittered
/// back-off, and a circuit breaker so a provider that is down is not hammered. What still fails is
/// retried later from the delivery log.
/// </summary>
public sealed class ChannelPipelines
{
    private readonly Dictionary<string, (IChannel Channel, ResiliencePipeline Pipeline)> _channels;

    public ChannelPipelines(IEnumerable<IChannel> channels, IConfiguration configuration) =>
        _channels = channels.ToDictionary(c => c.Name, c => (c, Build(configuration)));

    public async Task SendAsync(string channel, OutgoingMessage message, CancellationToken ct)
    {
        if (!_channels.TryGetValue(channel, out var entry)) throw new InvalidOperationException($"No channel '{channel}'.");
        var tried = false;
        try
        {
            await entry.Pipeline.ExecuteAsync(async token =>
            {
                tried = true;
                await entry.Channel.SendAsync(message, token);
            }, ct);
        }
        catch (BrokenCircuitException open) when (!tried)
        {
            throw new ChannelResting(channel, open.RetryAfter ?? TimeSpan.FromSeconds(5));
        }
    }

    private static ResiliencePipeline Build(IConfiguration configuration) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            // What may pass: a dropped connection, a timeout, a provider's 5xx or an SMTP 4xx. A permanent refusal is not retried.
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<SmtpCommandException>().Handle<SmtpProtocolException>()
                .Handle<ServiceNotConnectedException>().Handle<TimeoutRejectedException>().Handle<IOException>()
                .Handle<System.Net.Sockets.SocketException>(),
            MaxRetryAttempts = configuration.GetValue("Notification:Channels:Retries", 2),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
        })
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            // One address refused says nothing about the provider's health.
            ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not PermanentRefusal and not OperationCanceledException),
            FailureRatio = 0.5,
            MinimumThroughput = 10,
            SamplingDuration = TimeSpan.FromSeconds(30),
            BreakDuration = TimeSpan.FromSeconds(configuration.GetValue("Notification:Channels:BreakSeconds", 30.0)),
        })
        .AddTimeout(TimeSpan.FromSeconds(configuration.GetValue("Notification:Channels:TimeoutSeconds", 10)))
        .Build();
}

/// <summary>
/// Brand-name SMS through a provider's HTTP API: <c>Notification:Sms:Url</c> receives a JSON body
/// <c>{ to, text, brandname, reference }</c> with <c>Notification:Sms:ApiKey</c> in the
/// <c>Authorization</c> header (the shape Vietnamese providers take, adjustable by the field names in
/// configuration). A 4xx answer about the message refuses it for good (a number the provider will not take, a text it
/// rejects). 401, 403, 404 and 407 say the installation's key or address is wrong, and 408 and 429 that the provider is
/// busy: like a 5xx they may pass once fixed and are retried, so a wrong key does not give up every message queued.
/// </summary>
public sealed class SmsGatewayChannel(HttpClient http, IConfiguration configuration) : IChannel
{
    public string Name => NotificationChannels.Sms;

    public async Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var section = configuration.GetSection("Notification:Sms");
        using var request = new HttpRequestMessage(HttpMethod.Post, section["Url"]);
        if (section["ApiKey"] is { Length: > 0 } key) request.Headers.TryAddWithoutValidation("Authorization", key);
        request.Content = JsonContent.Create(new Dictionary<string, string>
        {
            [section["ToField"] ?? "to"] = message.Recipient,
            [section["TextField"] ?? "text"] = message.Body,
            [section["BrandnameField"] ?? "brandname"] = section["Brandname"] ?? "MOTCUA",
            ["reference"] = message.DeliveryId.ToString(),
        });
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var answer = $"SMS gateway answered {status}: {Truncate(await response.Content.ReadAsStringAsync(ct))}";
        if (status is >= 400 and < 500 and not (401 or 403 or 404 or 407 or 408 or 429)) throw new PermanentRefusal(answer);
        throw new HttpRequestException(answer, null, response.StatusCode);
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];
}

/// <summary>
/// The development channel, and the stand-in for a channel an installation has not configured: it logs that a message
/// went, to whom (masked) and how long it was. Not the text: it greets the citizen by name. The delivery log has it.
/// </summary>
public sealed partial class LogChannel(string name, ILogger<LogChannel> logger) : IChannel
{
    public string Name => name;

    public Task SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        LogMessage(logger, name, message.DossierCode, message.RecipientMasked, message.Body.Length);
        return Task.CompletedTask;
    }

    [LoggerMessage(LogLevel.Information, "{Channel} (log): dossier {Code} to {Recipient}, {Length} characters")]
    private static partial void LogMessage(ILogger logger, string channel, string code, string recipient, int length);
}

public static class ChannelRegistration
{
    /// <summary>SMS and e-mail when configured, the log otherwise; the <c>log</c> channel always.</summary>
    public static IServiceCollection AddChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient<SmsGatewayChannel>();
        services.AddSingleton<IChannel>(sp => string.IsNullOrEmpty(configuration["Notification:Sms:Url"])
            ? new LogChannel(NotificationChannels.Sms, sp.GetRequiredService<ILogger<LogChannel>>())
            : sp.GetRequiredService<SmsGatewayChannel>());
        services.AddSingleton<IChannel>(sp => string.IsNullOrEmpty(configuration["Notification:Smtp:Host"])
            ? new LogChannel(NotificationChannels.Email, sp.GetRequiredService<ILogger<LogChannel>>())
            : new SmtpChannel(SmtpSettings.Of(configuration.GetSection("Notification:Smtp"))));
        services.AddSingleton<IChannel>(sp => new LogChannel(NotificationChannels.Log, sp.GetRequiredService<ILogger<LogChannel>>()));
        services.AddSingleton<ChannelPipelines>();
        return services;
    }
}
