package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One masking rule for every URL Vigil prints: no user information, no query, no receiver path. */
class UrlsTest {

    @ParameterizedTest(name = "{0} is shown as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://user:s3cret@hooks.example.org/services/T0/B0/TOKEN?x=1|https://***@hooks.example.org/…?…",
                "http://alertmanager:9093|http://alertmanager:9093",
                "http://alertmanager:9093/|http://alertmanager:9093/",
                "http://127.0.0.1:9093/api/v2/alerts|http://127.0.0.1:9093/…",
                "s3://bucket/prod/vigil|s3://bucket/prod/vigil",
                "s3://key:secret@bucket/prefix|s3://***@bucket/prefix",
                "file:///var/lib/vigil/repository|file:///var/lib/vigil/repository",
                "http://minio.internal:9000?X-Amz-Signature=abc|http://minio.internal:9000?…",
                "jdbc:postgresql://db:5432/vigil?user=v&password=s3cret|jdbc:postgresql://db:5432/vigil?…",
                "jdbc:postgresql://v:s3cret@db/vigil|jdbc:postgresql://***@db/vigil",
                "jdbc:postgresql:vigil|jdbc:postgresql:vigil",
                "not a url with user:pw@host?token=1|not a url with user:pw@host?…",
                "http://u:p w@host/x|http://***@host/x",
                "http://u:p@[::1]:80/x|http://***@[::1]:80/…",
            })
    void aUrlIsShownWithoutItsSecrets(String url, String shown) {
        assertThat(Urls.forDisplay(url)).isEqualTo(shown).doesNotContain("s3cret", "TOKEN", "abc", "p w");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "https://user:pw@hooks.example.org/x|true",
                "https://user@hooks.example.org/x|true",
                "https://hooks.example.org/a@b|false",
                "jdbc:postgresql://u:p@db:5432/x|true",
                "jdbc:postgresql://db:5432/x?user=a|false",
                "s3://bucket/prefix|false",
                "http://u:p w@host/|true",
            })
    void userInformationIsRecognisedEvenInUrlsThatDoNotParse(String url, boolean carries) {
        assertThat(Urls.hasUserInfo(url)).isEqualTo(carries);
    }
}
