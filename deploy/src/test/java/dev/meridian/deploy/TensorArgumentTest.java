package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.Tensor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TensorArgumentTest {
  @Test
  void plainValuesAreAnFp32Row() {
    Tensor tensor = TensorArgument.parse("features=0.5,1.25,-2");
    assertThat(tensor.getName()).isEqualTo("features");
    assertThat(tensor.getDatatype()).isEqualTo(DataType.DATA_TYPE_FP32);
    assertThat(tensor.getShapeList()).containsExactly(1L, 3L);
    assertThat(tensor.getContents().getFp32ContentsList()).containsExactly(0.5f, 1.25f, -2f);
  }

  @Test
  void typeAndShapeCanBeGiven() {
    Tensor ints = TensorArgument.parse("ids:INT64[2,2]=1,2,3,4");
    assertThat(ints.getShapeList()).containsExactly(2L, 2L);
    assertThat(ints.getContents().getInt64ContentsList()).containsExactly(1L, 2L, 3L, 4L);
    Tensor flags = TensorArgument.parse("flag:bool[]=true");
    assertThat(flags.getShapeList()).isEmpty();
    assertThat(flags.getContents().getBoolContentsList()).containsExactly(true);
    Tensor text = TensorArgument.parse("text:BYTES[2]=hi,there");
    assertThat(text.getContents().getBytesContents(1).toStringUtf8()).isEqualTo("there");
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertThatThrownBy(() -> TensorArgument.parse("features"))
        .hasMessageContaining("expected name=v1,v2");
    assertThatThrownBy(() -> TensorArgument.parse("x:INT32[2]=1,a"))
        .hasMessage("--input 'x:INT32[2]=1,a': 'a' is not a INT32 value");
    assertThatThrownBy(() -> TensorArgument.parse("x:FP8=1"))
        .hasMessageContaining("unknown datatype 'FP8'");
    assertThatThrownBy(() -> TensorArgument.parse("x:FP16=1"))
        .hasMessage("--input 'x:FP16=1': FP16 values cannot be written as text; use FP32");
  }

  @Test
  void durationsReadAsPeopleTypeThem() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(converter.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> converter.convert("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void endpointsNameTheOptionWhenBad() {
    assertThat(Endpoints.parseList("--upstream a", "h:1,k:2")).hasSize(2);
    assertThatThrownBy(() -> Endpoints.parse("--target", "localhost"))
        .hasMessage("--target: 'localhost' (expected: host:port)");
    assertThatThrownBy(() -> Endpoints.parse("--target", "h:99999"))
        .hasMessageContaining("a port in 1..65535");
  }
}
