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

        Assert.Contains("JwtSessionOptions.Keys[0].Secret is 9 bytes; HS256 needs at least 32 bytes", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("                                        ")]
    [InlineData("\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t")]
    [InlineData("\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n")]
    public void A_secret_of_white_space_only_is_refused_naming_its_setting(string blank)
    {
        // 32 or more bytes of nothing but white space passed the length check and signed with one repeated byte: what
        // an unset template variable padded with spaces, or a file of blank lines, gives.
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions { Secret = blank }));
        var ringOptions = new JwtSessionOptions();
        ringOptions.Keys.Add(new JwtSessionKeyOptions { Id = "k1", Secret = blank });
        var ringError = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(ringOptions));

        Assert.Contains("JwtSessionOptions.Secret is white space only", error.Message, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
        Assert.Contains("JwtSessionOptions.Keys[0].Secret is white space only", ringError.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "U+FFFD at index 0")]
    [InlineData(true, "a lone surrogate at index 49")]
    public void A_secret_that_is_not_valid_UTF_8_is_refused_rather_than_signed_with_replacement_bytes(bool loneSurrogate, string where)
    {
        // Made here: test data with a lone surrogate would reach the test with U+FFFD in its place.
        var secret = loneSurrogate ? "a-secret-of-more-than-32-bytes-from-a-go-service-" + '\uD800' : "\uFFFDt\uFFFD-a-secret-of-more-than-32-bytes-from-a-go-service";

        // Both became EF BF BD when encoded: another key than the bytes that were set, so the tokens another service
        // signs with those bytes were all refused as bad signatures, without a word at start.
        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(new JwtSessionOptions { Secret = secret }));
        var ringOptions = new JwtSessionOptions();
        ringOptions.Keys.Add(new JwtSessionKeyOptions { Id = "k1", Secret = secret });
        var ringError = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(ringOptions));

        Assert.Contains($"JwtSessionOptions.Secret is not valid UTF-8: {where} of its {secret.Length} characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("base64:", error.Message, StringComparison.Ordinal);
        Assert.Contains($"JwtSessionOptions.Keys[0].Secret is not valid UTF-8: {where}", ringError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a-secret-of", error.Message + ringError.Message, StringComparison.Ordinal);

        // The same bytes as base64 are taken.
        using var issuer = new JwtSessionIssuer(new JwtSessionOptions { Secret = "base64:" + Convert.ToBase64String([0xE9, .. System.Text.Encoding.ASCII.GetBytes("t-a-secret-of-more-than-32-bytes-from-a-go-service")]) });
    }

    [Theory]
    [InlineData(129, "")]
    [InlineData(200, "")]
    [InlineData(5, "\u0007")]
    public void A_ring_key_whose_id_cannot_be_a_kid_is_refused_naming_its_Id_setting(int length, string control)
    {
        // Before, the line named the key's material (Keys[0].Secret) for a fault of its id.
        var options = new JwtSessionOptions();
        options.Keys.Add(new JwtSessionKeyOptions { Id = new string('a', length) + control, Secret = TestTokens.Secret });

        var error = Assert.Throws<OptionsValidationException>(() => new JwtSessionIssuer(options));

        Assert.Contains("JwtSessionOptions.Keys[0].Id ", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 128 characters without control characters", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Keys[0].Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_options_fail_when_the_service_is_first_built_with_every_problem()
    {
        await using var provider = new ServiceCollection().AddJwtSessions(o => o.Secret = "short").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISessionIssuer>());
        Assert.Contains("at least 32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_set_in_code_are_named_as_the_code_writes_them_not_as_a_section_nothing_binds()
    {
        // AddJwtSessions binds no configuration: "Sessions:Secret" would send the reader to a setting that changes
        // nothing (Sessions__Secret in the environment is never read here).
        await using var provider = new ServiceCollection()
            .AddJwtSessions(o => o.Secret = Environment.GetEnvironmentVariable("SESSIONS_TEST_UNSET_SECRET")!)
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISessionIssuer>());

        Assert.Contains("JwtSessionOptions.Secret is not set.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sessions:", error.Message, StringComparison.Ordinal);
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

    [Fact]
    public async Task Keys_that_change_after_a_reload_to_invalid_options_still_apply()
    {
        // The real OptionsMonitor, as a host has it: after a reload to invalid values its CurrentValue throws and its
        // listeners are not told.
        var settings = new ReloadableOptions(TestTokens.Options());
        using var keys = new SwitchingKeySource(new OptionsSessionKeySource(TestTokens.Options()));
        var services = new ServiceCollection()
            .AddSingleton<ISessionKeySource>(keys)
            .AddSingleton<IConfigureOptions<JwtSessionOptions>>(settings)
            .AddSingleton<IOptionsChangeTokenSource<JwtSessionOptions>>(settings)
            .AddJwtSessions();
        await using var provider = services.BuildServiceProvider();
        var validator = provider.GetRequiredService<ISessionValidator>();
        using var rotated = new JwtSessionIssuer(TestTokens.Options(o => o.Secret = "the-key-of-the-rotation-0123456789abcdef"));

        settings.Reload(o => o.Lifetime = TimeSpan.Zero);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptionsMonitor<JwtSessionOptions>>().CurrentValue);
        keys.SwitchTo(new OptionsSessionKeySource(TestTokens.Options(o => o.Secret = "the-key-of-the-rotation-0123456789abcdef")));

        var result = await validator.ValidateAsync(rotated.Issue(TestTokens.Subject).Token);
        Assert.True(result.IsValid, $"a token signed with the new key was refused: {result.FailureReason}");
    }

    /// <summary>Options a test reloads the way a configuration file is: the values change, then the change token fires.</summary>
    private sealed class ReloadableOptions(JwtSessionOptions initial) : IConfigureOptions<JwtSessionOptions>, IOptionsChangeTokenSource<JwtSessionOptions>
    {
        private Action<JwtSessionOptions> _change = _ => { };
        private CancellationTokenSource _reload = new();

        public string Name => Options.DefaultName;

        public void Configure(JwtSessionOptions options)
        {
            options.Secret = initial.Secret;
            options.Issuer = initial.Issuer;
            options.Audience = initial.Audience;
            _change(options);
        }

        public Microsoft.Extensions.Primitives.IChangeToken GetChangeToken() => new Microsoft.Extensions.Primitives.CancellationChangeToken(_reload.Token);

        public void Reload(Action<JwtSessionOptions> change)
        {
            _change = change;
            var fired = _reload;
            _reload = new CancellationTokenSource();
            try
            {
                fired.Cancel();
            }
            catch (AggregateException)
            {
                // The monitor's listener throws on invalid values, as it does for a configuration file.
            }
        }
    }

    private sealed class SwitchingKeySource(ISessionKeySource first) : ISessionKeySource, IDisposable
    {
        private ISessionKeySource _current = first;

        public event EventHandler? KeysChanged;

        public SessionKeySet GetKeys() => _current.GetKeys();

        public ValueTask<bool> RefreshAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public void SwitchTo(ISessionKeySource next)
        {
            (_current as IDisposable)?.Dispose();
            _current = next;
            KeysChanged?.Invoke(this, EventArgs.Empty);
        }

        public void Dispose() => (_current as IDisposable)?.Dispose();
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
