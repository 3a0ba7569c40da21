/** Messages of the target codes (issue 17 §5; docs/AUTHORITIES.md ST7), merged into common/messages.ts. */
export const TARGET_MESSAGES: Record<string, { zh: string; en: string }> = {
  TARGET_EXISTS: { zh: '已有相同指标、期间、地区和渠道的目标', en: 'A target with the same metric, period, region and channel exists' },
  DEADLINE_BEFORE_START: { zh: '截止日期 {deadline} 早于起始日期 {startsOn}', en: 'The deadline {deadline} is before the start {startsOn}' },
  NOT_A_COUNT: { zh: '{metric} 是户数，目标值须为整数', en: '{metric} counts firms: the value is a whole number' },
};
