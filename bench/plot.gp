# Relay latency percentiles against the number of concurrent streams, for the mock directly
# (the floor), the TCP relay (a byte pump: the floor under any relay), chatd and the Node peer.  gnuplot -e "data='P.dat'; out='latest.png'" plot.gp
set terminal pngcairo size 1000,620 font "sans,10" noenhanced
set output out
set title "Relay latency per chunk (client receipt - provider send), 200 deltas per answer\nR = 20/s; the S = 5000 point is at R = 4/s"
set xlabel "concurrent streams S"
set ylabel "latency (ms)"
set format y "%g"
set logscale xy
set xrange [0.7:7000]
set format x "%g"
set grid xtics ytics mytics
set key outside right top
set style line 1 lc rgb "#777777" lw 2
set style line 2 lc rgb "#1f77b4" lw 2
set style line 3 lc rgb "#d62728" lw 2
set style line 4 lc rgb "#2ca02c" lw 2
plot data index 0 using 1:($2/1000) with linespoints ls 1 dt 3 pt 7 title "mock p50", \
     ''   index 0 using 1:($4/1000) with linespoints ls 1 dt 1 pt 7 title "mock p99", \
     ''   index 0 using 1:($5/1000) with linespoints ls 1 dt 2 pt 7 title "mock p99.9", \
     ''   index 1 using 1:($2/1000) with linespoints ls 4 dt 3 pt 13 title "TCP relay p50", \
     ''   index 1 using 1:($4/1000) with linespoints ls 4 dt 1 pt 13 title "TCP relay p99", \
     ''   index 1 using 1:($5/1000) with linespoints ls 4 dt 2 pt 13 title "TCP relay p99.9", \
     ''   index 2 using 1:($2/1000) with linespoints ls 2 dt 3 pt 5 title "chatd p50", \
     ''   index 2 using 1:($4/1000) with linespoints ls 2 dt 1 pt 5 title "chatd p99", \
     ''   index 2 using 1:($5/1000) with linespoints ls 2 dt 2 pt 5 title "chatd p99.9", \
     ''   index 3 using 1:($2/1000) with linespoints ls 3 dt 3 pt 9 title "Node peer p50", \
     ''   index 3 using 1:($4/1000) with linespoints ls 3 dt 1 pt 9 title "Node peer p99", \
     ''   index 3 using 1:($5/1000) with linespoints ls 3 dt 2 pt 9 title "Node peer p99.9"
