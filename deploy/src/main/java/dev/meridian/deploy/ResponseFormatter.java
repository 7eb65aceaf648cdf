package dev.meridian.deploy;

import dev.meridian.core.DataTypes;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders a Predict response for people: one line per output, then how it was served. */
final class ResponseFormatter {
  private static final String PATH_PREFIX = "SERVING_PATH_";

  private ResponseFormatter() {}

  static String format(PredictResponse response) {
    StringBuilder text = new StringBuilder();
    for (Tensor output : response.getOutputsList()) {
      text.append(output.getName())
          .append(' ')
          .append(DataTypes.shortName(output.getDatatype()))
          .append(output.getShapeList())
          .append(" = ")
          .append(values(output.getContents()))
          .append('\n');
    }
    ServedBy servedBy = response.getServedBy();
    text.append("served by: region=")
        .append(servedBy.getRegion().isEmpty() ? "-" : servedBy.getRegion())
        .append(" replica=")
        .append(servedBy.getReplica().isEmpty() ? "-" : servedBy.getReplica())
        .append(" path=")
        .append(servedBy.getPath().name().replace(PATH_PREFIX, ""))
        .append(" attempts=")
        .append(servedBy.getAttempts())
        .append(" model=")
        .append(response.getModelName())
        .append(" version=")
        .append(response.getModelVersion())
        .append(" request=")
        .append(response.getRequestId());
    if (!servedBy.getReason().isEmpty()) {
      text.append("\nreason: ").append(servedBy.getReason());
    }
    if (response.hasFeatures()) {
      FeatureSources features = response.getFeatures();
      text.append("\nfeatures: primary=")
          .append(features.getPrimary())
          .append(" replica=")
          .append(features.getReplica())
          .append(" cache=")
          .append(features.getCache())
          .append(" defaults=")
          .append(features.getDefaults())
          .append(" stale=")
          .append(features.getStale())
          .append(" oldest=")
          .append(String.format(Locale.ROOT, "%.1fs", features.getOldestAgeMillis() / 1000.0));
    }
    return text.toString();
  }

  private static String values(TensorContents contents) {
    if (!contents.getRawContents().isEmpty()) {
      return contents.getRawContents().size() + " raw bytes";
    }
    List<?> values =
        firstNonEmpty(
            contents.getBoolContentsList(),
            contents.getIntContentsList(),
            contents.getInt64ContentsList(),
            contents.getUintContentsList().stream().map(Integer::toUnsignedString).toList(),
            contents.getUint64ContentsList().stream().map(Long::toUnsignedString).toList(),
            contents.getFp32ContentsList(),
            contents.getFp64ContentsList(),
            contents.getBytesContentsList().stream().map(b -> b.toStringUtf8()).toList());
    return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
  }

  private static List<?> firstNonEmpty(List<?>... lists) {
    for (List<?> list : lists) {
      if (!list.isEmpty()) {
        return list;
      }
    }
    return List.of();
  }
}
