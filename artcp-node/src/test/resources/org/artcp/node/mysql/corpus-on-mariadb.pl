#!/usr/bin/perl
# Runs corpus.tsv against a real MariaDB, in order on one connection, one COM_QUERY per line (multi-
# statements on). Prints every line that fails (expected only where corpus.tsv says "on purpose") and
# STATE-VIOLATION for a READ_ONLY line that would run while the server is inside a transaction or has
# autocommit off. Needs DBD::MariaDB (Debian: libdbd-mariadb-perl).
# usage: perl corpus-on-mariadb.pl corpus.tsv 'DBI:MariaDB:mariadb_socket=/run/mysqld/mysqld.sock' USER PASSWORD
use strict; use warnings; use DBI;
my ($file, $dsn, $user, $password) = @ARGV;
die "usage: $0 corpus.tsv DSN USER PASSWORD\n" unless defined $dsn;
my $dbh = DBI->connect("$dsn;mariadb_multi_statements=1", $user, $password // "",
    {RaiseError => 0, PrintError => 0, AutoCommit => 1}) or die $DBI::errstr;
open(my $f, "<", $file) or die "$file: $!";
my $n = 0;
while (my $l = <$f>) {
    chomp $l; $n++;
    next if $l =~ /^#/ || $l eq "";
    my ($cls, $sql) = split(/\t/, $l, 2);
    $sql =~ s/\{NL\}/\n/g;
    my ($intx, $ac) = $dbh->selectrow_array('SELECT @@in_transaction, @@autocommit');
    print "STATE-VIOLATION $n in_transaction=$intx autocommit=$ac: $sql\n" if $cls eq "READ_ONLY" && ($intx || !$ac);
    my $sth = $dbh->prepare($sql);
    my $ok = $sth && $sth->execute;
    if ($ok) { do { $sth->fetchall_arrayref if $sth->{NUM_OF_FIELDS}; } while ($sth->more_results); }
    my $err = $sth ? $sth->err : $dbh->err;
    print "$n\t$cls\t$err\t", ($sth ? $sth->errstr : $dbh->errstr), "\t$sql\n" if $err;
}
