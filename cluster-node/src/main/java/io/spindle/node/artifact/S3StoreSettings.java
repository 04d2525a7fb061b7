package io.spindle.node.artifact;

import com.typesafe.config.Config;
import java.util.Locale;

/**
 * Where and how {@link S3ArtifactStore} reaches its bucket; read from {@code spindle.artifacts.s3}
 * (every key is documented in spindle-artifacts.conf).
 *
 * @param endpoint            endpoint URL, empty for AWS's endpoint of {@code region}
 * @param prefix              key prefix without leading or trailing slash, may be empty
 * @param multipartThreshold  files of at least this many bytes go up as a multipart upload
 */
public record S3StoreSettings(
        String endpoint,
        String bucket,
        String prefix,
        String region,
        boolean pathStyleAccess,
        Credentials credentials,
        String accessKey,
        String secretKey,
        boolean createBucket,
        long multipartThreshold) {

    /** How requests are authenticated. */
    public enum Credentials {
        /** Static keys when an access key is set, else anonymous. */
        AUTO,
        STATIC,
        ANONYMOUS,
        /** The AWS SDK default chain (environment, profile, instance role). */
        DEFAULT
    }

    public S3StoreSettings {
        endpoint = endpoint == null ? "" : endpoint.trim();
        prefix = trimSlashes(prefix == null ? "" : prefix.trim());
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("spindle.artifacts.s3.bucket must be set");
        }
        if (credentials == Credentials.STATIC && (accessKey.isEmpty() || secretKey.isEmpty())) {
            throw new IllegalArgumentException("static S3 credentials need both access-key and secret-key");
        }
    }

    /** Reads the {@code spindle.artifacts.s3} section. */
    public static S3StoreSettings fromConfig(Config s3) {
        return new S3StoreSettings(
                s3.getString("endpoint"),
                s3.getString("bucket"),
                s3.getString("prefix"),
                s3.getString("region"),
                s3.getBoolean("path-style-access"),
                Credentials.valueOf(s3.getString("credentials").trim().toUpperCase(Locale.ROOT)),
                s3.getString("access-key"),
                s3.getString("secret-key"),
                s3.getBoolean("create-bucket"),
                s3.getBytes("multipart-threshold"));
    }

    /** The credentials mode after resolving {@link Credentials#AUTO}. */
    public Credentials effectiveCredentials() {
        if (credentials != Credentials.AUTO) {
            return credentials;
        }
        return accessKey.isEmpty() ? Credentials.ANONYMOUS : Credentials.STATIC;
    }

    public S3StoreSettings withEndpoint(String value) {
        return new S3StoreSettings(value, bucket, prefix, region, pathStyleAccess, credentials, accessKey, secretKey,
                createBucket, multipartThreshold);
    }

    public S3StoreSettings withBucket(String value) {
        return new S3StoreSettings(endpoint, value, prefix, region, pathStyleAccess, credentials, accessKey, secretKey,
                createBucket, multipartThreshold);
    }

    public S3StoreSettings withPrefix(String value) {
        return new S3StoreSettings(endpoint, bucket, value, region, pathStyleAccess, credentials, accessKey, secretKey,
                createBucket, multipartThreshold);
    }

    /** Static keys, or anonymous access when {@code accessKey} is empty. */
    public S3StoreSettings withKeys(String accessKey, String secretKey) {
        Credentials mode = accessKey == null || accessKey.isEmpty() ? Credentials.ANONYMOUS : Credentials.STATIC;
        return new S3StoreSettings(endpoint, bucket, prefix, region, pathStyleAccess, mode, accessKey, secretKey,
                createBucket, multipartThreshold);
    }

    public S3StoreSettings withPathStyleAccess(boolean value) {
        return new S3StoreSettings(endpoint, bucket, prefix, region, value, credentials, accessKey, secretKey,
                createBucket, multipartThreshold);
    }

    public S3StoreSettings withCreateBucket(boolean value) {
        return new S3StoreSettings(endpoint, bucket, prefix, region, pathStyleAccess, credentials, accessKey, secretKey,
                value, multipartThreshold);
    }

    public S3StoreSettings withMultipartThreshold(long value) {
        return new S3StoreSettings(endpoint, bucket, prefix, region, pathStyleAccess, credentials, accessKey, secretKey,
                createBucket, value);
    }

    /** Hides the secret, which would otherwise end up in logs. */
    @Override
    public String toString() {
        return "S3StoreSettings[endpoint=" + endpoint + ", bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
                + ", pathStyleAccess=" + pathStyleAccess + ", credentials=" + effectiveCredentials()
                + ", createBucket=" + createBucket + ", multipartThreshold=" + multipartThreshold + "]";
    }

    private static String trimSlashes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '/') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(start, end);
    }
}
