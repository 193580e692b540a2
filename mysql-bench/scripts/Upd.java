// Times small requests over one Connector/J connection to the portal (mysql-bench/scripts/mysql-hops.sh).
import java.sql.*;
public class Upd {
  public static void main(String[] a) throws Exception {
    String url = "jdbc:mysql://198.18.0.10:3306/artcp?user=artcp&sslMode=DISABLED";
    int n = Integer.parseInt(a[0]);
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS u (id INT PRIMARY KEY, c1 INT)");
      s.execute("REPLACE INTO u VALUES (1, 0)");
      for (String q : new String[] {"UPDATE u SET c1 = c1 + 1 WHERE id = 1", "SELECT c1 FROM u WHERE id = 1", "DO 1"}) {
        for (int i = 0; i < 50; i++) s.execute(q);
        long[] t = new long[n];
        for (int i = 0; i < n; i++) { long t0 = System.nanoTime(); s.execute(q); t[i] = System.nanoTime() - t0; }
        java.util.Arrays.sort(t); long sum = 0; for (long x : t) sum += x;
        System.out.printf("%-40s mean %7.0f us  p50 %7d us  p90 %7d us  p99 %7d us%n", q, sum / 1e3 / n, t[n/2]/1000, t[n*9/10]/1000, t[n*99/100]/1000);
      }
    }
  }
}
