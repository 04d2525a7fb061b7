package io.spindle.node.dev;

import io.spindle.bridge.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.CreateContainerOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.domain.Location;

/**
 * The jclouds filesystem blob store with the files it writes made private: it creates bucket directories and object
 * files with the process's umask (0755/0644, then only takes the others' read off a private object), so each bucket
 * and stored object loses every group and others right right after it is written. The base folder is 0700 anyway;
 * this keeps every file under the data dir 0600 as promised. (Parts of a multipart upload in progress keep the
 * library's mode until the upload completes and they are deleted.)
 */
final class PrivateBlobStore extends ForwardingBlobStore {
    private final Path baseDir;

    PrivateBlobStore(BlobStore blobStore, Path baseDir) {
        super(blobStore);
        this.baseDir = baseDir;
    }

    @Override
    public boolean createContainerInLocation(Location location, String container) {
        return tightened(container, null, super.createContainerInLocation(location, container));
    }

    @Override
    public boolean createContainerInLocation(Location location, String container, CreateContainerOptions options) {
        return tightened(container, null, super.createContainerInLocation(location, container, options));
    }

    @Override
    public String putBlob(String container, Blob blob) {
        return tightened(container, blob.getMetadata().getName(), super.putBlob(container, blob));
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        return tightened(container, blob.getMetadata().getName(), super.putBlob(container, blob, options));
    }

    @Override
    public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
        return tightened(mpu.containerName(), mpu.blobName(), super.completeMultipartUpload(mpu, parts));
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName, CopyOptions options) {
        return tightened(toContainer, toName, super.copyBlob(fromContainer, fromName, toContainer, toName, options));
    }

    /** Takes group and others rights off the bucket directory and, if named, the object's directories and file. */
    private <T> T tightened(String container, String blobName, T result) {
        Path bucket = baseDir.resolve(container).normalize();
        if (!bucket.startsWith(baseDir) || bucket.equals(baseDir)) {
            return result;
        }
        try {
            PrivateFiles.tightenOne(bucket);
            if (blobName != null) {
                for (Path p = bucket.resolve(blobName).normalize(); p != null && p.startsWith(bucket) && !p.equals(bucket); p = p.getParent()) {
                    PrivateFiles.tightenOne(p);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + container + "/" + blobName + " private", e);
        }
    }
}
