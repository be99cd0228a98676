// The thermometer data of Deep Learning with PyTorch, chapter 5: readings in Celsius (t_c)
// and in the unknown unit (t_u). This is the book's data set, the CLI's built-in problem.
export const t_c = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
export const t_u = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];
