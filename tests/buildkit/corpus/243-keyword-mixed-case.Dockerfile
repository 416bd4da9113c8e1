FrOm alpine AS base
rUN echo hi
Copy --From=base a b
eNtRyPoInT ["sh"]
HealthCheck NONE
