using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Sessions.Jwt.Tests;

public class DependencyInjectionTests
{
    [Fact]
    public async Task AddJwtSessions_registers_a_working_issuer_and_validator()
    {
        var services = new ServiceCollection().AddJwtSessions(o => o.Secret = TestTokens.Secret);
        await using var provider = services.BuildServiceProvider();

        var issuer = provider.GetRequiredService<ISessionIssuer>();
        var validator = provider.GetRequiredService<ISessionValidator>();
        var issued = await issuer.IssueAsync(TestTokens.Subject);

        Assert.True((await validator.ValidateAsync(issued.Token)).IsValid);
        Assert.Same(provider.GetRequiredService<JwtSessionIssuer>(), issuer);
    }

    [Fact]
    public void AddJwtSessions_twice_registers_each_service_once()
    {
        var services = new ServiceCollection().AddJwtSessions(o => o.Secret = TestTokens.Secret).AddJwtSessions();
        Assert.Single(services, d => d.ServiceType == typeof(ISessionIssuer));
        Assert.Single(services, d => d.ServiceType == typeof(ISessionValidator));
        Assert.Single(services, d => d.ServiceType == typeof(IValidateOptions<JwtSessionOptions>));
    }

    [Fact]
    public async Task AddJwtSessionValidation_needs_no_secret_and_twice_registers_each_service_once()
    {
        var services = new ServiceCollection()
            .AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://127.0.0.1:9/.well-known/jwks.json"))
            .AddJwtSessionValidation(keys => keys.JwksUri = new Uri("http://127.0.0.1:9/.well-known/jwks.json"));

        Assert.Single(services, d => d.ServiceType == typeof(ISessionValidator));
        Assert.Single(services, d => d.ServiceType == typeof(ISessionKeySource));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(ISessionIssuer));

        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<ISessionValidator>();
        Assert.IsType<JwksSessionKeySource>(provider.GetRequiredService<ISessionKeySource>());
        Assert.Equal(SessionFailureReason.Malformed, (await validator.ValidateAsync("not-a-token")).FailureReason);
    }

    [Fact]
    public void A_generated_key_survives_a_configuration_reload()
    {
        static JwtSessionOptions WithGeneratedKey(string issuer)
        {
            var options = new JwtSessionOptions { Issuer = issuer };
            options.Keys.Add(new JwtSessionKeyOptions { Id = "dev", Algorithm = "ES256", Generate = true });
            return options;
        }

        var monitor = new TestOptionsMonitor(WithGeneratedKey("before"));
        using var keys = new OptionsSessionKeySource(monitor);
        var before = keys.GetKeys().SigningKey;

        monitor.Set(WithGeneratedKey("after"));

        Assert.NotNull(before);
        Assert.Same(before, keys.GetKeys().SigningKey);
    }

    [Fact]
    public void A_ring_key_with_a_short_secret_is_refused_naming_its_setting()
    {
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions { Id = "k1", Secret = "too-short" });

        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(options));

        Assert.Contains("Sessions:Keys:0:Secret is 9 bytes; HS256 needs at least 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_fail_when_the_service_is_first_built_with_every_problem()
    {
        await using var provider = new ServiceCollection().AddJwtSessions(o => o.Secret = "short").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISessionIssuer>());
        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconfiguration_swaps_the_settings_atomically()
    {
        var monitor = new TestOptionsMonitor(TestTokens.Options());
        using var keys = new OptionsSessionKeySource(monitor);
        using var issuer = new JwtSessionIssuer(monitor, keys, TimeProvider.System);
        using var validator = new JwtSessionValidator(monitor, keys, TimeProvider.System);
        var before = issuer.Issue("u").Token;

        monitor.Set(TestTokens.Options(o => { o.Secret = "a-brand-new-secret-after-rotation-32b"; o.Issuer = "new-issuer"; }));

        Assert.Equal(SessionFailureReason.BadSignature, validator.Validate(before).FailureReason);
        Assert.True(validator.Validate(issuer.Issue("u").Token).IsValid);

        // Invalid options are ignored rather than breaking every call.
        monitor.Set(new JwtSessionOptions { Secret = "short" });
        Assert.True(validator.Validate(issuer.Issue("u").Token).IsValid);
        await Task.CompletedTask;
    }

    private sealed class TestOptionsMonitor(JwtSessionOptions initial) : IOptionsMonitor<JwtSessionOptions>
    {
        private Action<JwtSessionOptions, string?>? _listeners;

        public JwtSessionOptions CurrentValue { get; private set; } = initial;

        public JwtSessionOptions Get(string? name) => CurrentValue;

        public IDisposable OnChange(Action<JwtSessionOptions, string?> listener)
        {
            _listeners += listener;
            return new Unsubscribe(() => _listeners -= listener);
        }

        public void Set(JwtSessionOptions options)
        {
            CurrentValue = options;
            _listeners?.Invoke(options, Options.DefaultName);
        }

        private sealed class Unsubscribe(Action action) : IDisposable
        {
            public void Dispose() => action();
        }
    }
}
